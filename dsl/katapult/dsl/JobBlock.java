package katapult.dsl;

/** A {@code job { }} block: one command, run {@code repeat} times. See the config reference for each key. */
public final class JobBlock {

    private final Recorder rec;

    JobBlock(Recorder rec) {
        this.rec = rec;
    }

    /** Unique name; default {@code <script or command stem>-<6 hex of its hash>}. */
    public void name(Object value) {
        rec.set("name", value);
    }

    /** The environment to run in; may be left out when there is at most one. */
    public void envName(Object value) {
        rec.set("env_name", value);
    }

    /** Cpus one run holds (default 1). */
    public void cpusReq(Object value) {
        rec.set("cpus_req", value);
    }

    /** A local script and its arguments: {@code runScript "run.py 1 'two words'"}. */
    public void runScript(Object value) {
        rec.set("run_script", value);
    }

    /** A bash command line. */
    public void runCommand(Object value) {
        rec.set("run_command", value);
    }

    /** Local files copied next to the script: {@code uploadFiles 'a.txt', 'b.txt'} or a list. */
    public void uploadFiles(Object... files) {
        rec.set("upload_files", Recorder.values(files));
    }

    /** Local files copied into the working folder. */
    public void inputFiles(Object... files) {
        rec.set("input_files", Recorder.values(files));
    }

    /** The same as {@link #inputFiles}. */
    public void inputFile(Object... files) {
        rec.set("input_file", Recorder.values(files));
    }

    /** Files the script writes, relative to its working folder; fetched into the results. */
    public void outputFiles(Object... files) {
        rec.set("output_files", Recorder.values(files));
    }

    /** The same as {@link #outputFiles}. */
    public void outputFile(Object... files) {
        rec.set("output_file", Recorder.values(files));
    }

    /** How many independent runs (default 1). */
    public void repeat(Object value) {
        rec.set("repeat", value);
    }

    /** Jobs that must be done first: {@code after 'prepare'} or a list. */
    public void after(Object... jobs) {
        rec.set("after", Recorder.values(jobs));
    }

    public Object methodMissing(String name, Object args) {
        return rec.missingMethod(name, args);
    }

    public void propertyMissing(String name, Object value) {
        rec.missingProperty(name, value);
    }
}
