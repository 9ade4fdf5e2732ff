package katapult.dsl;

/** An {@code instance { }} block: one entry of machines. See the config reference for each key. */
public final class InstanceBlock {

    private final Recorder rec;

    InstanceBlock(Recorder rec) {
        this.rec = rec;
    }

    /** Base name; default {@code <provider>-<n>}. */
    public void name(Object value) {
        rec.set("name", value);
    }

    /** Cloud region (aws). */
    public void region(Object value) {
        rec.set("region", value);
    }

    /** VPC id (aws). */
    public void cloudId(Object value) {
        rec.set("cloud_id", value);
    }

    /** Machine image id (aws). */
    public void imgId(Object value) {
        rec.set("img_id", value);
    }

    /** SSH user of the image (aws; default ubuntu). */
    public void imgUsername(Object value) {
        rec.set("img_username", value);
    }

    /** Instance type (aws; required there). */
    public void type(Object value) {
        rec.set("type", value);
    }

    /** Cpu budget of one instance. */
    public void cpus(Object value) {
        rec.set("cpus", value);
    }

    /** GPU type (aws). */
    public void gpu(Object value) {
        rec.set("gpu", value);
    }

    /** Root disk size in GB (aws). */
    public void diskSize(Object value) {
        rec.set("disk_size", value);
    }

    /** Root disk type (aws). */
    public void diskType(Object value) {
        rec.set("disk_type", value);
    }

    /** Spot instances (aws). */
    public void eco(Object value) {
        rec.set("eco", value);
    }

    /** Lifetime of an eco instance: '90m', '2h', a Duration... */
    public void ecoLife(Object value) {
        rec.set("eco_life", value);
    }

    /** Highest spot price in $/hour (aws). */
    public void maxBid(Object value) {
        rec.set("max_bid", value);
    }

    /** How many instances of this entry (default 1). */
    public void number(Object value) {
        rec.set("number", value);
    }

    /** May a cpus request be split over several machines (default true). */
    public void explode(Object value) {
        rec.set("explode", value);
    }

    /** Host name or address (ssh; required there). */
    public void host(Object value) {
        rec.set("host", value);
    }

    /** Several hosts, {@code [user@]host[:port]} each, with this entry's other settings (ssh; instead of host). */
    public void hosts(Object value) {
        rec.set("hosts", value);
    }

    /** SSH user (ssh). */
    public void user(Object value) {
        rec.set("user", value);
    }

    /** SSH port (ssh; default 22). */
    public void port(Object value) {
        rec.set("port", value);
    }

    /** Private key file (ssh). */
    public void key(Object value) {
        rec.set("key", value);
    }

    /** EC2/IAM endpoint override (aws). */
    public void endpoint(Object value) {
        rec.set("endpoint", value);
    }

    /** Port the instances' SSH server listens on (aws; default 22). */
    public void sshPort(Object value) {
        rec.set("ssh_port", value);
    }

    /** Who may reach the SSH port, as a CIDR block (aws). */
    public void sshCidr(Object value) {
        rec.set("ssh_cidr", value);
    }

    public Object methodMissing(String name, Object args) {
        return rec.missingMethod(name, args);
    }

    public void propertyMissing(String name, Object value) {
        rec.missingProperty(name, value);
    }
}
