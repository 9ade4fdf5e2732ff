package katapult.maestro

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.function.Consumer

import katapult.config.Config
import katapult.config.InstanceSpec
import katapult.plan.InstancePlan
import katapult.provider.InstanceStatus
import katapult.provider.MaestroHost
import katapult.provider.MaestroHosting
import katapult.provider.Provider
import katapult.provider.ShutdownEffect
import katapult.provider.ssh.SshProvider
import katapult.state.InstanceRecord
import katapult.transport.ExecResult
import katapult.transport.Shell
import katapult.transport.SshConnections
import katapult.transport.SshSettings
import katapult.transport.SshTarget

/**
 * The ssh provider plus a maestro hosted on one SSH test host: its "instance" exists while the file
 * {@code <dir>/maestro-instance} does (holding RUNNING or STOPPED), each creation is a line of {@code <dir>/created}.
 * With {@code hangAfterStart}, the shell of the maestro hangs (after writing {@code <dir>/hung}) once the
 * hand-off's start command returned: a point for a spec to kill the laptop's Katapult.
 */
class MaestroTestProvider implements Provider {

    final SshProvider workers
    final SshConnections connections
    final SshTarget maestro
    final Path dir
    final boolean hangAfterStart

    MaestroTestProvider(Config config, Path stateDir, SshTarget maestro, Path dir, boolean hangAfterStart) {
        this.workers = new SshProvider(config, stateDir)
        this.connections = new SshConnections(SshSettings.defaults(stateDir.resolve('maestro_known_hosts')))
        this.maestro = maestro
        this.dir = dir
        this.hangAfterStart = hangAfterStart
    }

    Path instanceFile() {
        dir.resolve('maestro-instance')
    }

    InstanceRecord record(String status) {
        new InstanceRecord('maestro', 'ssh', maestro.handle(), 1, status, 1, null, [])
    }

    boolean isMaestro(InstanceRecord instance) {
        instance.name() == 'maestro' && instance.handle() == maestro.handle()
    }

    @Override
    Optional<MaestroHosting> maestroHosting() {
        Optional.of(new MaestroHosting() {
            @Override
            MaestroHost ensure(Consumer<String> progress) {
                if (!Files.exists(instanceFile())) {
                    Files.writeString(dir.resolve('created'), "${ProcessHandle.current().pid()}\n",
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)
                }
                Files.writeString(instanceFile(), InstanceStatus.RUNNING)
                new MaestroHost(record(InstanceStatus.RUNNING), [:], [:])
            }

            @Override
            Optional<MaestroHost> find() {
                Files.exists(instanceFile())
                        ? Optional.of(new MaestroHost(record(Files.readString(instanceFile()).strip()), [:], [:]))
                        : Optional.empty()
            }

            @Override
            List<String> remove(Consumer<String> progress) {
                Files.deleteIfExists(instanceFile()) ? ["maestro ${maestro.handle()}".toString()] : []
            }
        })
    }

    @Override
    Shell shell(InstanceRecord instance) {
        if (!isMaestro(instance)) {
            return workers.shell(instance)
        }
        Shell inner = connections.shell(maestro)
        hangAfterStart ? new HangingShell(inner, dir) : inner
    }

    @Override
    void stop(InstanceRecord instance) {
        if (isMaestro(instance)) {
            Files.writeString(instanceFile(), InstanceStatus.STOPPED)
        } else {
            workers.stop(instance)
        }
    }

    @Override
    String kind() { workers.kind() }

    @Override
    int machineCpus(InstanceSpec spec) { workers.machineCpus(spec) }

    @Override
    int defaultCpus(InstanceSpec spec) { workers.defaultCpus(spec) }

    @Override
    boolean cpusFromMachine(InstanceSpec spec) { workers.cpusFromMachine(spec) }

    @Override
    InstanceRecord ensure(InstancePlan plan, Optional<InstanceRecord> known, Consumer<String> progress) {
        workers.ensure(plan, known, progress)
    }

    @Override
    Map<String, String> statuses(List<InstanceRecord> instances) { workers.statuses(instances) }

    @Override
    void remove(InstanceRecord instance) { workers.remove(instance) }

    @Override
    ShutdownEffect onShutdown(InstanceSpec spec) { workers.onShutdown(spec) }

    @Override
    void close() {
        connections.close()
        workers.close()
    }

    /** The maestro's shell, hanging for good once the start command of the hand-off has returned. */
    static class HangingShell implements Shell {
        final Shell inner
        final Path dir

        HangingShell(Shell inner, Path dir) {
            this.inner = inner
            this.dir = dir
        }

        @Override
        ExecResult exec(String command, String stdin, Duration timeout) {
            ExecResult result = inner.exec(command, stdin, timeout)
            if (command.contains("'start'")) {
                Files.writeString(dir.resolve('hung'), 'hung')
                Thread.sleep(Long.MAX_VALUE)
            }
            result
        }

        @Override
        ExecResult exec(String command) {
            exec(command, null, Duration.ofMinutes(5))
        }

        @Override
        ExecResult execReading(String command, String stdin, Duration stall, Shell.OutputReader reader) {
            inner.execReading(command, stdin, stall, reader)
        }

        @Override
        void put(Path local, String remotePath) { inner.put(local, remotePath) }

        @Override
        void get(String remotePath, Path local) { inner.get(remotePath, local) }

        @Override
        String describe() { inner.describe() }

        @Override
        void close() { inner.close() }
    }
}
