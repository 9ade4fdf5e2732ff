package katapult.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A software environment deployed on the instances that run its jobs.
 * With conda packages (alone or with pypi ones) micromamba/mamba/conda builds it; with pypi alone a venv.
 *
 * @param name          unique name; may be omitted (null in the file) when there is only one environment,
 *                      in which case the binder names it {@code default}
 * @param command       set-up command run last: a local bash file (uploaded) or an inline command
 * @param aptget        Debian packages installed with apt-get (sudo when not root)
 * @param conda         conda packages, an environment.yml, or an existing environment root
 * @param condaChannels channels for conda packages; empty for conda-forge
 * @param pypi          pip packages, a requirements file, or an existing venv root
 * @param julia         Julia packages added to the environment's Julia project
 * @param pypiIndexUrl  pip --index-url; null for pip's default
 * @param pypiFindLinks a local folder of wheels uploaded with the environment and given to pip --find-links
 * @param pypiNoIndex   pip --no-index: install only from pypiFindLinks
 */
public record EnvironmentSpec(
        String name,
        SetupCommand command,
        List<String> aptget,
        PackageSource conda,
        List<String> condaChannels,
        PackageSource pypi,
        List<String> julia,
        String pypiIndexUrl,
        Path pypiFindLinks,
        boolean pypiNoIndex) {

    public EnvironmentSpec {
        aptget = List.copyOf(aptget);
        condaChannels = List.copyOf(condaChannels);
        julia = List.copyOf(julia);
    }

    /** The set-up command: a local script file to upload and run, or an inline bash command. */
    public sealed interface SetupCommand {
        record ScriptFile(Path file) implements SetupCommand { }
        record Inline(String command) implements SetupCommand { }
    }
}
