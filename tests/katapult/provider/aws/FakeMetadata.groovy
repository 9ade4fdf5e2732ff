package katapult.provider.aws

import java.nio.charset.StandardCharsets
import java.util.concurrent.CopyOnWriteArrayList

import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpServer

/**
 * A stand-in for the instance metadata service (IMDSv2) on 127.0.0.1, as far as the spot interruption notice goes:
 * {@code PUT /latest/api/token} with a TTL header gives a token; {@code GET /latest/meta-data/spot/instance-action}
 * with that token answers 404 until {@link #notice} is called, then the notice as EC2 spells it. A request without a
 * token gets 401, as on an instance that requires IMDSv2.
 */
class FakeMetadata implements AutoCloseable {

    static final String TOKEN = 'AQAEAFakeToken_-='

    private final HttpServer server
    /** Every request as "METHOD path", in order. */
    final List<String> requests = new CopyOnWriteArrayList<>()
    volatile String action

    FakeMetadata() {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)
        server.createContext('/latest/', this.&handle)
        server.start()
    }

    /** The address the agents are given (the system property katapult.aws.metadata). */
    String base() {
        "http://127.0.0.1:${server.address.port}/latest"
    }

    /** From now on, the instance has an interruption notice. */
    void notice(String time, String what = 'terminate') {
        action = """{"action":"${what}","time":"${time}"}"""
    }

    /** Whether an agent asked for the notice with a token, as IMDSv2 wants. */
    int asked() {
        requests.count { it == 'GET /latest/meta-data/spot/instance-action' }
    }

    private void handle(HttpExchange exchange) {
        String path = exchange.requestURI.path
        requests << "${exchange.requestMethod} ${path}".toString()
        if (exchange.requestMethod == 'PUT' && path == '/latest/api/token') {
            exchange.requestHeaders.getFirst('X-aws-ec2-metadata-token-ttl-seconds')
                    ? reply(exchange, 200, TOKEN) : reply(exchange, 400, '')
        } else if (exchange.requestHeaders.getFirst('X-aws-ec2-metadata-token') != TOKEN) {
            reply(exchange, 401, '')
        } else if (exchange.requestMethod == 'GET' && path == '/latest/meta-data/spot/instance-action') {
            String notice = action
            notice ? reply(exchange, 200, notice) : reply(exchange, 404, 'Not Found')
        } else {
            reply(exchange, 404, 'Not Found')
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8)
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length)
        if (bytes.length > 0) {
            exchange.responseBody.withCloseable { it.write(bytes) }
        }
        exchange.close()
    }

    @Override
    void close() {
        server.stop(0)
    }
}
