package katapult.provider.slurm;

import java.io.IOException;

/** Reads sinfo's {@code %C} field, {@code allocated/idle/other/total}: the cluster's cpus are the total. */
final class SinfoCpus {

    private SinfoCpus() {
    }

    static int total(String line, String where) throws IOException {
        String[] parts = line.strip().split("/");
        if (parts.length == 4) {
            try {
                return Math.max(1, Integer.parseInt(parts[3]));
            } catch (NumberFormatException e) {
                // told below
            }
        }
        throw new IOException("Slurm on " + where + " did not tell its cpus (sinfo said '" + line.strip() + "')");
    }
}
