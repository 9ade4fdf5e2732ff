package katapult.transport

import java.nio.file.Path

import spock.lang.Specification
import spock.lang.TempDir

class SafePathsSpec extends Specification {

    @TempDir
    Path base

    def "a hostile remote path '#path' is refused with its name in the message"() {
        when:
        SafePaths.inside(base, path)

        then:
        def e = thrown(SafePaths.UnsafePathException)
        e.message.contains('refusing remote path')

        where:
        path << ['../escape', '/etc/passwd', 'a/../../b', '..', '.', '', 'a\nb', '\\windows']
    }

    def "a relative path '#path' lands inside"() {
        expect:
        SafePaths.inside(base, path).startsWith(base)

        where:
        path << ['out.dat', 'sub/dir/out.dat', 'a/./b', 'a/../b']
    }
}
