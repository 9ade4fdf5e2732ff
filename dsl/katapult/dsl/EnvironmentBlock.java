package katapult.dsl;

/** An {@code environment { }} block: the software a job runs in. See the config reference for each key. */
public final class EnvironmentBlock {

    private final Recorder rec;

    EnvironmentBlock(Recorder rec) {
        this.rec = rec;
    }

    /** Unique name; may be left out when there is only one environment ({@code default}). */
    public void name(Object value) {
        rec.set("name", value);
    }

    /** Set-up command run last: a local bash file, or an inline command. */
    public void command(Object value) {
        rec.set("command", value);
    }

    /** Debian packages: {@code envAptget 'git', 'curl'} or a list. */
    public void envAptget(Object... packages) {
        rec.set("env_aptget", Recorder.values(packages));
    }

    /** Conda packages (a list), an environment.yml, or an existing environment root. */
    public void envConda(Object... packages) {
        rec.set("env_conda", Recorder.values(packages));
    }

    /** Conda channels (default conda-forge). */
    public void envCondaChannels(Object... channels) {
        rec.set("env_conda_channels", Recorder.values(channels));
    }

    /** pip packages (a list), a requirements.txt, or an existing venv root. */
    public void envPypi(Object... packages) {
        rec.set("env_pypi", Recorder.values(packages));
    }

    /** Julia packages. */
    public void envJulia(Object... packages) {
        rec.set("env_julia", Recorder.values(packages));
    }

    /** pip --index-url. */
    public void envPypiIndexUrl(Object value) {
        rec.set("env_pypi_index_url", value);
    }

    /** A local folder of wheels for pip --find-links. */
    public void envPypiFindLinks(Object value) {
        rec.set("env_pypi_find_links", value);
    }

    /** pip --no-index (true/false). */
    public void envPypiNoIndex(Object value) {
        rec.set("env_pypi_no_index", value);
    }

    public Object methodMissing(String name, Object args) {
        return rec.missingMethod(name, args);
    }

    public void propertyMissing(String name, Object value) {
        rec.missingProperty(name, value);
    }
}
