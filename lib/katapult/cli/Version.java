package katapult.cli;

import picocli.CommandLine;

/** Katapult's version, for --version. */
final class Version implements CommandLine.IVersionProvider {
    static final String VERSION = "0.1.0";

    @Override
    public String[] getVersion() {
        return new String[] {"katapult " + VERSION, "Java " + System.getProperty("java.version")};
    }
}
