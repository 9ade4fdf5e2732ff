package katapult.maestro;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import katapult.util.Hashes;

/**
 * The jars of the running Katapult, as the maestro needs them: every entry of its class path, a folder of classes
 * (a build's output) packed into a jar first. Packing is reproducible (sorted entries, fixed times), so an unchanged
 * folder makes the same jar, the same sha-256, and is not sent again.
 */
final class ClassPathJars {

    private static final FileTime EPOCH = FileTime.fromMillis(0);

    /** One jar by its content hash. */
    record Jar(String sha, Path file) {
    }

    private ClassPathJars() {
    }

    /** The jars of {@code classPath} (a {@code java.class.path} value), folders packed into {@code packDir}. */
    static List<Jar> of(String classPath, Path packDir) throws IOException {
        List<Jar> jars = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                jars.add(packed(path, packDir));
            } else if (Files.isRegularFile(path)) {
                jars.add(new Jar(Hashes.ofFile(path), path));
            }
        }
        return jars;
    }

    private static Jar packed(Path folder, Path packDir) throws IOException {
        Files.createDirectories(packDir);
        Path partial = Files.createTempFile(packDir, "pack", ".part");
        try (OutputStream out = Files.newOutputStream(partial); JarOutputStream jar = new JarOutputStream(out);
             Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                JarEntry entry = new JarEntry(folder.relativize(file).toString().replace(File.separatorChar, '/'));
                entry.setLastModifiedTime(EPOCH);
                entry.setCreationTime(EPOCH);
                entry.setLastAccessTime(EPOCH);
                jar.putNextEntry(entry);
                Files.copy(file, jar);
                jar.closeEntry();
            }
        }
        String sha = Hashes.ofFile(partial);
        Path target = packDir.resolve(sha + ".jar");
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        return new Jar(sha, target);
    }
}
