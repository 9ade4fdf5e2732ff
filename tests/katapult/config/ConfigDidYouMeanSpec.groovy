package katapult.config

import spock.lang.Specification

class ConfigDidYouMeanSpec extends Specification {

    def "the edit distance between '#a' and '#b' is #d"() {
        expect:
        DidYouMean.distance(a, b) == d

        where:
        a          | b          || d
        ''         | ''         || 0
        'cpus'     | 'cpus'     || 0
        'cpu'      | 'cpus'     || 1
        'tpye'     | 'type'     || 1
        'repat'    | 'repeat'   || 1
        'kitten'   | 'sitting'  || 3
        ''         | 'abc'      || 3
        'env_name' | 'envName'  || 2
    }

    def "'#input' suggests #expected"() {
        expect:
        DidYouMean.suggest(input, candidates).orElse(null) == expected

        where:
        input         | candidates                              || expected
        'cpu'         | ['cpus', 'gpu', 'cpus_req']             || 'cpus'
        'tpye'        | ['type', 'name']                        || 'type'
        'cpusReq'     | ['cpus', 'cpus_req']                    || 'cpus_req'
        'cpus_req'    | ['cpusReq', 'repeat']                   || 'cpusReq'
        'RUNSCRIPT'   | ['runScript', 'runCommand']             || 'runScript'
        'envPipy'     | ['envPypi', 'envConda']                 || 'envPypi'
        'outputfiles' | ['output_files', 'input_files']         || 'output_files'
        'xyz'         | ['cpus', 'type']                        || null
        'env'         | ['env_name']                            || null
        'katapul'     | ['katapult']                            || 'katapult'
        'cpus'        | ['cpus']                                || null
        ''            | ['cpus']                                || null
    }

    def "a hint reads '; did you mean ...?' or nothing"() {
        expect:
        DidYouMean.hint('pyton', ['python', 'julia']) == "; did you mean 'python'?"
        DidYouMean.hint('zzz', ['python', 'julia']) == ''
    }
}
