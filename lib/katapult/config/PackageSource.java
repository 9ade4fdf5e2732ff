package katapult.config;

import java.nio.file.Path;
import java.util.List;

/** Where an environment's packages come from: a list, a spec file to upload, or an environment already there. */
public sealed interface PackageSource {

    /** Package names (with optional version constraints), installed as given. */
    record Packages(List<String> names) implements PackageSource {
        public Packages {
            names = List.copyOf(names);
        }
    }

    /** A local requirements.txt / environment.yml, uploaded with the environment. */
    record SpecFile(Path file) implements PackageSource { }

    /** The root of an environment that already exists on the instance (used in place, nothing installed). */
    record ExistingRoot(String path) implements PackageSource { }
}
