package katapult.transport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How OpenSSH's own {@code ssh} reaches an instance as Katapult does: its target (user, host, port, key), the name its
 * host key is pinned under when that is not the address (OpenSSH's {@code HostKeyAlias}), and the known-hosts files
 * holding the pins. Host keys are always checked ({@code StrictHostKeyChecking yes}): an unpinned or changed key is
 * refused by ssh itself.
 *
 * @param target       user, host, port and private key (null key: ssh's defaults)
 * @param hostKeyAlias the name the host key is pinned under, or null for the address
 * @param knownHosts   the files to check the host key against, in order
 */
public record SshAccess(SshTarget target, String hostKeyAlias, List<Path> knownHosts) {

    public SshAccess {
        knownHosts = List.copyOf(knownHosts);
    }

    /** The options, as {@code -o Name=value} pairs, that make {@code ssh} use exactly this access. */
    public List<String> options() {
        List<String> args = new ArrayList<>();
        for (String[] setting : settings()) {
            args.add("-o");
            args.add(setting[0] + "=" + setting[1]);
        }
        return args;
    }

    /** The {@code ssh} command line: options, then the host, then {@code command} (empty: a login shell). */
    public List<String> sshCommand(String ssh, List<String> command) {
        List<String> args = new ArrayList<>(List.of(ssh));
        args.addAll(options());
        if (command.isEmpty()) {
            args.add("-t");
        }
        args.add("--");
        args.add(target.host());
        args.addAll(command);
        return args;
    }

    /** An OpenSSH config block naming this access {@code alias}: {@code ssh alias}, scp and editors then use it. */
    public String configBlock(String alias) {
        StringBuilder block = new StringBuilder("Host ").append(alias).append('\n');
        block.append("  HostName ").append(target.host()).append('\n');
        for (String[] setting : settings()) {
            block.append("  ").append(setting[0]).append(' ').append(setting[1]).append('\n');
        }
        return block.toString();
    }

    /** Name and value of each setting, the value already in OpenSSH's config quoting. */
    private List<String[]> settings() {
        List<String[]> settings = new ArrayList<>();
        settings.add(new String[] {"User", configWord(target.user())});
        settings.add(new String[] {"Port", Integer.toString(target.port())});
        if (target.key() != null) {
            settings.add(new String[] {"IdentityFile", configWord(target.key().toAbsolutePath().toString())});
            settings.add(new String[] {"IdentitiesOnly", "yes"});
        }
        settings.add(new String[] {"UserKnownHostsFile", String.join(" ",
                knownHosts.stream().map(p -> configWord(p.toAbsolutePath().toString())).toList())});
        settings.add(new String[] {"GlobalKnownHostsFile", "/dev/null"});
        settings.add(new String[] {"StrictHostKeyChecking", "yes"});
        settings.add(new String[] {"UpdateHostKeys", "no"});
        if (hostKeyAlias != null) {
            settings.add(new String[] {"HostKeyAlias", configWord(hostKeyAlias)});
        }
        return settings;
    }

    /**
     * A value as OpenSSH's config reads it: double quotes around one with a space. OpenSSH has no escape for a
     * double quote, so a value holding one (or a line break, or a %-token OpenSSH would expand) is refused.
     */
    static String configWord(String value) {
        if (value.contains("\"") || value.contains("\n") || value.contains("\r") || value.contains("%")) {
            throw new IllegalArgumentException("cannot hand '" + value + "' to OpenSSH: it holds a double quote,"
                    + " a line break or a %");
        }
        return value.isEmpty() || value.chars().anyMatch(Character::isWhitespace) || value.contains("#")
                ? "\"" + value + "\"" : value;
    }
}
