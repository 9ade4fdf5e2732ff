package katapult.faults

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

/**
 * Holds a scenario at a moment, so that a fault strikes there for sure and no timing decides a test: runs wait for
 * the run gate before they write their outputs, and a stand-in {@code tar} (first on the PATH of the instance) marks
 * that a fetch began and waits for the fetch gate before it packs anything.
 */
class Gates {

    final Path dir

    Gates(Path dir) {
        this.dir = Files.createDirectories(dir)
    }

    Path runGate() { dir.resolve('run-gate') }

    Path fetchGate() { dir.resolve('fetch-gate') }

    Path fetching() { dir.resolve('fetching') }

    /** A shell line that waits until the run gate is open. */
    String waitForRunGate() { "while [ ! -e \"${runGate()}\" ]; do sleep 0.1; done" }

    void openRuns() { touch(runGate()) }

    void openFetch() { touch(fetchGate()) }

    boolean fetchBegan() { Files.exists(fetching()) }

    /** A folder holding the stand-in tar, to put first on the instance's PATH. */
    Path stubFolder() {
        def bin = Files.createDirectories(dir.resolve('bin'))
        def real = ['/usr/bin/tar', '/bin/tar'].find { Files.isExecutable(Path.of(it)) }
        def tar = bin.resolve('tar')
        Files.writeString(tar, """#!/bin/bash
touch "${fetching()}"
while [ ! -e "${fetchGate()}" ]; do sleep 0.1; done
exec "$real" "\$@"
""")
        Files.setPosixFilePermissions(tar, PosixFilePermissions.fromString('rwxr-xr-x'))
        bin
    }

    private static void touch(Path file) {
        if (!Files.exists(file)) {
            Files.createFile(file)
        }
    }
}
