package katapult.dsl

import java.time.Duration
import katapult.config.ConfigForm
import katapult.config.Located
import katapult.config.RawMap
import spock.lang.Specification

/** The raw tree of a config survives JSON with every value's type and line; what has no encoding is refused. */
class RawCodecSpec extends Specification {

    static RawMap tree(Map<String, Object> values) {
        RawMap map = new RawMap(3)
        values.eachWithIndex { key, value, i -> map.put(key, new Located(value, i + 4)) }
        map
    }

    static List<Located> items(List<?> values, int line = 7) {
        values.collect { new Located(it, line) }
    }

    def "every kind of value comes back with its type and its line"() {
        given:
        RawMap nested = tree([name: 'j', cpus: 2])
        RawMap root = tree([text: 'a "quoted" ünicode', yes: true, no: false, none: null, int: 42, long: 5000000000L,
                            big: new BigInteger('123456789012345678901234567890'), decimal: new BigDecimal('1.50'),
                            double: 2.5d, float: 1.25f, duration: Duration.ofMinutes(90), block: nested,
                            list: items(['x', 1, 2, 3, 4, 5, 9, 10, 11, new BigDecimal('0.1'), items([1, 2]), nested])])

        when:
        RawCodec.Decoded back = RawCodec.decode(RawCodec.encode(ConfigForm.MAP, root).get()).get()

        then:
        back.form() == ConfigForm.MAP
        back.root().line() == 3
        back.root().keys().toList() == root.keys().toList()
        root.keys().every { key ->
            Object before = root.get(key).value(), after = back.root().get(key).value()
            back.root().get(key).line() == root.get(key).line() && (before instanceof RawMap || before instanceof List
                    || before?.getClass() == after?.getClass() && before == after)
        }
        back.root().get('decimal').value().toString() == '1.50'
        back.root().get('block').value().get('cpus') == new Located(2, 5)
        List<Located> list = back.root().get('list').value()
        list*.value().take(10) == ['x', 1, 2, 3, 4, 5, 9, 10, 11, new BigDecimal('0.1')]
        list*.line().unique() == [7]
        list[10].value()*.value() == [1, 2]
        list[11].value().get('name') == new Located('j', 4)
        RawCodec.encode(ConfigForm.MAP, back.root()).get() == RawCodec.encode(ConfigForm.MAP, root).get()
    }

    def "a sweep over a long range is a few bytes, and comes back whole"() {
        given:
        RawMap root = tree([i: items((1..50000).toList())])

        when:
        byte[] bytes = RawCodec.encode(ConfigForm.BLOCK, root).get()
        List<Located> back = RawCodec.decode(bytes).get().root().get('i').value()

        then:
        bytes.length < 200
        back.size() == 50000
        back[0] == new Located(1, 7)
        back[49999] == new Located(50000, 7)
        back*.value().every { it instanceof Integer }
    }

    def "a tree holding a value without an encoding (#value.getClass().simpleName) is not encoded"() {
        expect:
        RawCodec.encode(ConfigForm.BLOCK, tree([k: value])).isEmpty()

        where:
        value << [{ -> 1 }, new Object(), new Date(), 'x' as char, items([new File('x')])]
    }
}
