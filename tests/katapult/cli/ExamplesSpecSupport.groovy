package katapult.cli

import java.nio.file.Files
import java.nio.file.Path

/** The convention under examples/: a .groovy file that imports katapult.Katapult is a script of the API, not a config. */
class ExamplesSpecSupport {
    static boolean isScript(Path file) {
        Files.readString(file).contains('import katapult.Katapult')
    }
}
