package katapult.provider.slurm

import java.time.Duration

import katapult.config.InstanceSpec
import katapult.config.SlurmSettings
import katapult.config.SshHostSettings
import katapult.provider.BatchScheduler.BatchArray
import spock.lang.Specification

class SlurmOptionsSpec extends Specification {

    static final BatchArray ARRAY = new BatchArray('katapult.p.train.0123456789', 'katapult project p job train', 4, 2, null)

    static SlurmSettings settings(Map keys = [:]) {
        new SlurmSettings(SshHostSettings.NONE, keys.partition, keys.account, keys.qos, keys.timeLimit, keys.mem,
                keys.memPerCpu, keys.gpu, keys.maxParallel, keys.options ?: [])
    }

    def "an entry without scheduler keys asks for the array, its name, comment and cpus per task only"() {
        expect:
        SlurmOptions.of(settings(), ARRAY) == ['--job-name=katapult.p.train.0123456789',
                '--comment=katapult project p job train', '--array=0-3', '--cpus-per-task=2', '--ntasks=1']
    }

    def "every key becomes its option, one word each, the passed-through options last"() {
        given:
        def s = settings(partition: 'gpu', account: 'lab', qos: 'long', timeLimit: Duration.ofMinutes(90), mem: '4G',
                gpu: 'gpu:a100:1', maxParallel: 2, options: ['--constraint=skylake', '--exclusive'])

        expect:
        SlurmOptions.of(s, ARRAY).drop(2) == ['--array=0-3%2', '--cpus-per-task=2', '--ntasks=1', '--partition=gpu',
                '--account=lab', '--qos=long', '--time=0-01:30:00', '--mem=4G', '--gres=gpu:a100:1',
                '--constraint=skylake', '--exclusive']
        SlurmOptions.of(settings(memPerCpu: '500M'), ARRAY).contains('--mem-per-cpu=500M')
    }

    def "a job's own time limit wins over the entry's, and stands alone when the entry has none"() {
        given:
        def jobs = new BatchArray(ARRAY.name(), ARRAY.comment(), 4, 2, Duration.ofMinutes(5))
        def entry = settings(timeLimit: Duration.ofHours(2))

        expect:
        SlurmOptions.of(entry, jobs).findAll { it.startsWith('--time=') } == ['--time=0-00:05:00']
        SlurmOptions.of(settings(), jobs).findAll { it.startsWith('--time=') } == ['--time=0-00:05:00']
        SlurmOptions.of(entry, ARRAY).findAll { it.startsWith('--time=') } == ['--time=0-02:00:00']
    }

    def "an environment's set-up job is one task of one cpu with the entry's place, time limit and memory, no more"() {
        given:
        def s = settings(partition: 'gpu', account: 'lab', qos: 'long', timeLimit: Duration.ofMinutes(90), mem: '4G',
                gpu: 'gpu:a100:1', maxParallel: 2, options: ['--exclusive'])

        expect:
        SlurmOptions.setup(s, 'katapult.p.env.k', 'katapult project p env k') == ['--job-name=katapult.p.env.k',
                '--comment=katapult project p env k', '--ntasks=1', '--cpus-per-task=1', '--partition=gpu',
                '--account=lab', '--qos=long', '--time=0-01:30:00', '--mem=4G']
        SlurmOptions.setup(settings(memPerCpu: '500M'), 'n', 'c') == ['--job-name=n', '--comment=c', '--ntasks=1',
                '--cpus-per-task=1', '--mem-per-cpu=500M']
        SlurmOptions.setup(settings(), 'n', 'c') == ['--job-name=n', '--comment=c', '--ntasks=1', '--cpus-per-task=1']
    }

    def "a time limit is days-hours:minutes:seconds, rounded up to the second: #limit"() {
        expect:
        SlurmOptions.time(limit) == expected

        where:
        limit                         || expected
        Duration.ofSeconds(45)        || '0-00:00:45'
        Duration.ofMillis(1500)       || '0-00:00:02'
        Duration.ofHours(30)          || '1-06:00:00'
        Duration.ofDays(3).plusMinutes(7) || '3-00:07:00'
    }

    def "plan's line quotes every word a shell would split"() {
        given:
        def spec = new InstanceSpec('cluster', null, 1, false, settings(options: ['--comment=two words']))

        expect:
        new SlurmScheduler().describe(spec, ARRAY) == "sbatch --job-name=katapult.p.train.0123456789 " +
                "'--comment=katapult project p job train' --array=0-3 --cpus-per-task=2 --ntasks=1 " +
                "'--comment=two words' slurm-task.sh R katapult.p.train.0123456789"
    }

    def "sinfo's cpus are the total of allocated/idle/other/total; anything else is an error naming the node"() {
        expect:
        SinfoCpus.total('3/5/0/8\n', 'login') == 8

        when:
        SinfoCpus.total('sinfo: error: no partition', 'login')

        then:
        def e = thrown(IOException)
        e.message == "Slurm on login did not tell its cpus (sinfo said 'sinfo: error: no partition')"
    }

    def "the probe asks for sbatch, then sinfo's cpus of the partition, quoted"() {
        expect:
        SlurmProvider.probe(null) == 'if ! command -v sbatch >/dev/null 2>&1; then echo no-sbatch; else sinfo -h -o %C | head -n 1; fi'
        SlurmProvider.probe("a'b").contains("sinfo -h -o %C -p 'a'\\''b'")
    }
}
