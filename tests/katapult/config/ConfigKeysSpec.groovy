package katapult.config

import katapult.config.ConfigKeys.Block
import spock.lang.Specification

class ConfigKeysSpec extends Specification {

    def "every key of the seeds' full configuration example is known"() {
        expect:
        ConfigKeys.find(block, key).present

        where:
        [block, key] << [
                [Block.CONFIG, ['project', 'profile', 'dev', 'debug', 'maestro', 'auto_stop', 'provider', 'job_assign',
                                'recover', 'print_deploy', 'mutualize_uploads', 'instances', 'environments', 'jobs']],
                [Block.INSTANCE, ['region', 'cloud_id', 'img_id', 'img_username', 'type', 'cpus', 'gpu', 'disk_size',
                                  'disk_type', 'eco', 'eco_life', 'max_bid', 'number', 'explode']],
                [Block.ENVIRONMENT, ['name', 'command', 'env_aptget', 'env_conda', 'env_conda_channels', 'env_pypi',
                                     'env_julia']],
                [Block.JOB, ['env_name', 'cpus_req', 'run_script', 'run_command', 'upload_files', 'input_files',
                             'output_files', 'repeat', 'input_file', 'output_file']],
        ].collectMany { b, keys -> keys.collect { [b, it] } }
    }

    def "'#snake' is spelled '#camel' in the block form"() {
        expect:
        ConfigKeys.camel(snake) == camel

        where:
        snake                 || camel
        'cpus'                || 'cpus'
        'cpus_req'            || 'cpusReq'
        'env_pypi_index_url'  || 'envPypiIndexUrl'
        'mutualize_uploads'   || 'mutualizeUploads'
    }

    def "an unknown key is explained: #expected"() {
        expect:
        ConfigKeys.unknownKey(block, key, form).contains(expected)

        where:
        block             | key         | form            || expected
        Block.INSTANCE    | 'cpu'       | ConfigForm.BLOCK || "unknown key 'cpu' in an instance; did you mean 'cpus'?"
        Block.JOB         | 'cpus_req'  | ConfigForm.BLOCK || "did you mean 'cpusReq'?"
        Block.JOB         | 'cpusReq'   | ConfigForm.MAP   || "did you mean 'cpus_req'?"
        Block.JOB         | 'cpus'      | ConfigForm.MAP   || "'cpus' cannot be set in a job: it belongs in an instance; a job asks for cpus with 'cpus_req'"
        Block.JOB         | 'project'   | ConfigForm.BLOCK || "it belongs in the katapult block"
        Block.CONFIG      | 'name'      | ConfigForm.MAP   || "the project is named with 'project'"
        Block.ENVIRONMENT | 'zzz'       | ConfigForm.MAP   || "(known keys: name, command, env_aptget"
    }

    def "the reference tables list every key in both spellings"() {
        given:
        String md = ConfigKeys.markdownTables()

        expect:
        ConfigKeys.all().every { md.contains("| `${it.name()}` | `${it.camel()}` |") }
        md.contains('### Job keys')
    }
}
