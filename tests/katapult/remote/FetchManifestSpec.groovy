package katapult.remote

import spock.lang.Specification

/** The lines fetch.sh writes before its tar, read off the stream without reading into the tar. */
class FetchManifestSpec extends Specification {

    static InputStream answer(String text) {
        new ByteArrayInputStream(text.getBytes('UTF-8'))
    }

    def "the size line gives the bytes packed, and the tar that follows is left unread"() {
        given:
        def in = answer('skip\ta.1/err.log\twas not found\nbytes\t12345\ntar\nTARDATA')

        when:
        def m = FetchManifest.read(in, 1)

        then:
        m.bytes() == 12345
        m.skipped() == ['a.1/err.log': 'was not found']
        in.text == 'TARDATA'
    }

    def "an answer without a size line reads as unknown size (-1)"() {
        expect:
        FetchManifest.read(answer('later\tb.1\ntar\n'), 1).bytes() == -1
    }

    def "a size that is not a number, or a second size line, is refused as outside the protocol"() {
        when:
        FetchManifest.read(answer(text), 3)

        then:
        def e = thrown(IOException)
        e.message.contains('outside the protocol')

        where:
        text << ['bytes\t12a\ntar\n', 'bytes\t-1\ntar\n', 'bytes\t1\nbytes\t2\ntar\n']
    }
}
