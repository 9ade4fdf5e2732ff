package katapult.terminal

import java.time.Duration

import katapult.session.Status
import katapult.state.InstanceRecord
import spock.lang.Specification

class LiveViewSpec extends Specification {

    Status status = new Status('lab', true,
            [new InstanceRecord('w-1', 'aws', 'us-east-1/i-1', 2, 'RUNNING', 1, null, [])], [])

    def "the header shows the elapsed time and the cost so far the provider tells"() {
        when:
        def frame = LiveView.frame(status, Duration.ofSeconds(75), cost, 'q stops watching')

        then:
        frame[0].contains('watching for ')
        frame[0].endsWith(header)
        frame[-1] == 'q stops watching'

        where:
        cost                                              | header
        'cost so far: $0.0123 for 1 running instance(s)' | ' — cost so far: $0.0123 for 1 running instance(s)'
        null                                              | Tables.duration(75)
    }
}
