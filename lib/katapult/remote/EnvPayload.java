package katapult.remote;

import java.util.Map;

/**
 * An environment as the instance receives it.
 *
 * @param key         folder name under envs/: {@code <name>-<hash prefix>}
 * @param specFiles   files of spec/ by name (aptget, pypi, command, ...), as text
 * @param storedFiles files copied from the content store into spec/, path → sha256 (e.g. requirements.txt, wheels/x.whl)
 */
public record EnvPayload(String key, Map<String, String> specFiles, Map<String, String> storedFiles) {
}
