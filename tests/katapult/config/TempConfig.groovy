package katapult.config

import java.nio.file.Files
import java.nio.file.Path
import katapult.dsl.ConfigLoader

/** Writes config files (and the files they name) into a folder and loads them. */
class TempConfig {

    final Path dir

    TempConfig(Path dir) {
        this.dir = dir
    }

    /** Writes a file under the folder, creating its parents. */
    Path file(String name, String text = 'x\n') {
        Path p = dir.resolve(name)
        Files.createDirectories(p.parent)
        Files.writeString(p, text)
        p
    }

    Path folder(String name) {
        Files.createDirectories(dir.resolve(name))
    }

    Config load(String text, String name = 'cfg.groovy') {
        ConfigLoader.load(file(name, text))
    }

    /** The problems of a config that must fail to load. */
    List<Problem> problems(String text, String name = 'cfg.groovy') {
        try {
            load(text, name)
        } catch (ConfigException e) {
            return e.problems()
        }
        throw new AssertionError("the config loaded, but it should not have:\n$text")
    }

    /** The messages of a config that must fail to load, joined by new lines. */
    String messages(String text, String name = 'cfg.groovy') {
        problems(text, name)*.message().join('\n')
    }

    /** The same config without the file it came from, to compare configs read from different files. */
    static Config withoutSource(Config c) {
        new Config(Path.of('config'), c.project(), c.profile(), c.dev(), c.debug(), c.maestro(), c.autoStop(),
                c.provider(), c.jobAssign(), c.recover(), c.printDeploy(), c.mutualizeUploads(), c.sshOpen(), c.retryBudget(), c.instances(),
                c.environments(), c.jobs(), c.limits())
    }
}
