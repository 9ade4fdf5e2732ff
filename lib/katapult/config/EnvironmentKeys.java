package katapult.config;

import java.util.List;
import katapult.config.ConfigKeys.Block;

/**
 * The keys of an environment, in documentation order: each declared once with its type, default, providers and
 * meaning. A new key is one more constant here, then its use where the config is bound.
 */
public final class EnvironmentKeys {

    private static final KeyTable T = new KeyTable(Block.ENVIRONMENT);

    public static final ConfigKey<String> NAME = T.key("name", Readers.string(),
            "name", "`default` when there is exactly one environment; otherwise required", "all", "Unique name, referred to by jobs' `env_name`.");

    public static final ConfigKey<String> COMMAND = T.key("command", Readers.string(),
            "path of a local bash file, or a command", "none", "all", "Set-up command run last: an existing local file is uploaded and run with bash; a name ending `.sh` must exist; anything else is run as a bash command line.");

    public static final ConfigKey<List<String>> ENV_APTGET = T.key("env_aptget", Readers.words(),
            "string or list of strings", "none", "all", "Debian packages installed with apt-get (with sudo when not root).");

    public static final ConfigKey<Object> ENV_CONDA = T.key("env_conda", Readers.raw(true),
            "list of packages, a local `environment.yml`, or an environment root", "none", "all", "Conda packages. With `env_conda`, micromamba/mamba/conda builds the environment (pip packages included).");

    public static final ConfigKey<List<String>> ENV_CONDA_CHANNELS = T.key("env_conda_channels", Readers.words(),
            "string or list of strings", "conda-forge", "all", "Channels for the conda packages.");

    public static final ConfigKey<Object> ENV_PYPI = T.key("env_pypi", Readers.raw(true),
            "list of packages, a local `requirements.txt`, or a venv root", "none", "all", "pip packages. Without `env_conda`, a venv is built.");

    public static final ConfigKey<List<String>> ENV_JULIA = T.key("env_julia", Readers.words(),
            "string or list of strings", "none", "all", "Julia packages added to the environment's Julia project (needs julia, e.g. from `command`).");

    public static final ConfigKey<String> ENV_PYPI_INDEX_URL = T.key("env_pypi_index_url", Readers.string(),
            "URL", "pip's default index", "all", "pip `--index-url`.");

    public static final ConfigKey<String> ENV_PYPI_FIND_LINKS = T.key("env_pypi_find_links", Readers.string(),
            "path of a local folder", "none", "all", "A local folder of wheels, uploaded with the environment and given to pip `--find-links`.");

    public static final ConfigKey<Boolean> ENV_PYPI_NO_INDEX = T.key("env_pypi_no_index", Readers.bool(),
            "boolean", "false", "all", "pip `--no-index`: install only from `env_pypi_find_links` (which it then needs).");

    private EnvironmentKeys() {
    }

    /** Every key of the block, in documentation order. */
    public static List<ConfigKey<?>> keys() {
        return T.keys();
    }
}
