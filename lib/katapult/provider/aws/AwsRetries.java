package katapult.provider.aws;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import katapult.util.Backoff;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * The retries of describe and tag calls: a throttled call keeps backing off (exponential, half jitter, at most
 * {@code retryMax} apart) until {@code budget} is spent since its first try, not for a count of tries, because a
 * throttling storm at start outlasts any small count (EC2 throttles per account). Other retryable errors get
 * {@code attempts} tries. While a call waits, a progress line says so, at most one every {@link #NOTICE_EVERY}.
 */
final class AwsRetries implements RetryStrategy {

    static final Duration NOTICE_EVERY = Duration.ofSeconds(10);

    /** The standard strategy's token, and when and how often the call was tried. */
    private record Token(RetryToken inner, long startedNanos, int attempt) implements RetryToken {
    }

    private final RetryStrategy standard;
    private final Duration budget;
    private final int attempts;
    private final Consumer<String> notices;
    private final AtomicLong lastNotice = new AtomicLong(System.nanoTime() - NOTICE_EVERY.toNanos());

    AwsRetries(AwsTiming timing, Duration budget, Consumer<String> notices) {
        this.budget = budget;
        this.attempts = timing.attempts();
        this.notices = notices;
        Backoff delays = Backoff.exponential(timing.retryBase(), timing.retryMax()).withHalfJitter();
        // the SDK numbers attempts from 1 and asks for a delay before each: none before the first
        BackoffStrategy backoff = attempt -> attempt <= 1 ? Duration.ZERO : delays.delay(attempt - 1);
        // the count is this class's business: the standard strategy only computes delays and knows what is retryable
        this.standard = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(Integer.MAX_VALUE)
                .backoffStrategy(backoff)
                .throttlingBackoffStrategy(backoff)
                .circuitBreakerEnabled(false)
                .build();
    }

    @Override
    public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
        AcquireInitialTokenResponse first = standard.acquireInitialToken(request);
        return AcquireInitialTokenResponse.create(new Token(first.token(), System.nanoTime(), 1), first.delay());
    }

    @Override
    public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
        Token token = (Token) request.token();
        Throwable failure = request.failure();
        boolean throttled = failure instanceof SdkServiceException e && e.isThrottlingException();
        if (!throttled && token.attempt() >= attempts) {
            throw new TokenAcquisitionFailedException("tried " + attempts + " times", token, failure);
        }
        RefreshRetryTokenResponse next = standard.refreshRetryToken(request.toBuilder().token(token.inner()).build());
        Duration spent = Duration.ofNanos(System.nanoTime() - token.startedNanos());
        if (spent.plus(next.delay()).compareTo(budget) > 0) {
            throw new TokenAcquisitionFailedException("retry budget of " + budget + " spent", token, failure);
        }
        if (throttled) {
            notice(spent);
        }
        return RefreshRetryTokenResponse.create(new Token(next.token(), token.startedNanos(), token.attempt() + 1),
                next.delay());
    }

    private void notice(Duration spent) {
        long now = System.nanoTime();
        long last = lastNotice.get();
        if (now - last >= NOTICE_EVERY.toNanos() && lastNotice.compareAndSet(last, now)) {
            notices.accept("AWS is throttling requests: backing off (" + spent.toSeconds() + " s of a "
                    + AwsCalls.shown(budget) + " retry_budget spent on this call)");
        }
    }

    @Override
    public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
        Token token = (Token) request.token();
        standard.recordSuccess(RecordSuccessRequest.create(token.inner()));
        return RecordSuccessResponse.create(token);
    }

    @Override
    public int maxAttempts() {
        return Integer.MAX_VALUE;
    }

    /** Never given the SDK's defaults: the standard strategy inside already has AWS's. */
    @Override
    public boolean useClientDefaults() {
        return false;
    }

    @Override
    public Builder<?, ?> toBuilder() {
        throw new UnsupportedOperationException("AwsRetries is built by AwsClients");
    }
}
