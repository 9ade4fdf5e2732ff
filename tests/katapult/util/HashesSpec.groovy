package katapult.util

import java.nio.file.Files
import java.nio.file.Path

import spock.lang.Specification
import spock.lang.TempDir

class HashesSpec extends Specification {

    @TempDir
    Path dir

    def "SHA-256 in lowercase hex, of a text, of bytes and of a file alike"() {
        given:
        def abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' // FIPS 180-2's "abc"
        def file = Files.writeString(dir.resolve('f'), 'abc')

        expect:
        Hashes.of('abc') == abc
        Hashes.of('abc'.bytes) == abc
        Hashes.ofFile(file) == abc
        Hashes.sha256('abc'.bytes).encodeHex().toString() == abc
    }
}
