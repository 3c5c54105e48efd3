// Tests of the retry and timeout pipelines on a fake clock: what is retried, how long it waits, and the caps.
using System.Net;
using Etl.Sources.Http;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Timeout;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpResilienceTests
{
    private static HttpResilience Resilience(FakeTimeProvider time, int maxAttempts = 5, int baseDelayMs = 200, int maxDelayMs = 60_000) =>
        new(new HttpRetrySpec { MaxAttempts = maxAttempts, BaseDelayMs = baseDelayMs, MaxDelayMs = maxDelayMs }, TimeSpan.FromSeconds(30), time, () => 0.5);

    private static HttpAttempt Status(HttpStatusCode status, string? retryAfter = null)
    {
        var response = new HttpResponseMessage(status);
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }
        return HttpAttempt.Of(response);
    }

    [Fact]
    public void HttpRetrySpec_Defaults_ArePinned()
    {
        var spec = new HttpRetrySpec();

        Assert.Equal(5, spec.MaxAttempts);
        Assert.Equal(200, spec.BaseDelayMs);
        Assert.Equal(60_000, spec.MaxDelayMs);
        Assert.Equal([408, 429, 500, 502, 503, 504], spec.RetryOn);
    }

    [Fact]
    public async Task HttpResilience_RetryAfterBeyondMaxDelay_WaitsOnlyMaxDelay()
    {
        var time = new FakeTimeProvider();
        var attempts = 0;
        var run = Resilience(time, maxDelayMs: 2000).Retry.ExecuteAsync(_ =>
            ValueTask.FromResult(++attempts == 1 ? Status(HttpStatusCode.TooManyRequests, "3600") : Status(HttpStatusCode.OK))).AsTask();

        time.Advance(TimeSpan.FromMilliseconds(1999));
        var attemptsBeforeCap = attempts;
        time.Advance(TimeSpan.FromMilliseconds(1));
        using var response = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, attemptsBeforeCap);
        Assert.Equal(2, attempts);
        Assert.Equal(HttpStatusCode.OK, response.Response.StatusCode);
    }

    [Fact]
    public async Task HttpResilience_RetryAfterSeconds_WaitsThatLongNotTheBackoff()
    {
        var time = new FakeTimeProvider();
        var attempts = 0;
        var run = Resilience(time, baseDelayMs: 10).Retry.ExecuteAsync(_ =>
            ValueTask.FromResult(++attempts == 1 ? Status(HttpStatusCode.ServiceUnavailable, "5") : Status(HttpStatusCode.OK))).AsTask();

        time.Advance(TimeSpan.FromMilliseconds(4999));
        var attemptsBefore = attempts;
        time.Advance(TimeSpan.FromMilliseconds(1));
        using var response = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, attemptsBefore);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task HttpResilience_RetryableStatusEveryTime_StopsAfterMaxAttempts()
    {
        var attempts = 0;

        using var response = await Resilience(new FakeTimeProvider(), maxAttempts: 3, baseDelayMs: 0).Retry.ExecuteAsync(_ =>
        {
            attempts++;
            return ValueTask.FromResult(Status(HttpStatusCode.BadGateway));
        });

        Assert.Equal(3, attempts);
        Assert.Equal(HttpStatusCode.BadGateway, response.Response.StatusCode);
    }

    [Fact]
    public async Task HttpResilience_NotFound_IsNotRetried()
    {
        var attempts = 0;

        using var response = await Resilience(new FakeTimeProvider(), baseDelayMs: 0).Retry.ExecuteAsync(_ =>
        {
            attempts++;
            return ValueTask.FromResult(Status(HttpStatusCode.NotFound));
        });

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task HttpResilience_OneAttempt_NeverRetries()
    {
        var attempts = 0;

        using var response = await Resilience(new FakeTimeProvider(), maxAttempts: 1).Retry.ExecuteAsync(_ =>
        {
            attempts++;
            return ValueTask.FromResult(Status(HttpStatusCode.ServiceUnavailable));
        });

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task HttpResilience_ExponentialBackoff_IsCappedByMaxDelay()
    {
        var time = new TimerCountingTime();
        var attempts = 0;
        var run = Resilience(time, maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 1500).Retry.ExecuteAsync(_ =>
        {
            attempts++;
            return ValueTask.FromResult(Status(HttpStatusCode.InternalServerError));
        }).AsTask();

        for (var expected = 2; expected <= 4; expected++)
        {
            // The next delay starts once the retry has run, on the thread pool: the clock moves only once its timer exists.
            await Until(() => time.TimersCreated >= expected - 1);
            time.Advance(TimeSpan.FromMilliseconds(1500));
            await Until(() => Volatile.Read(ref attempts) == expected);
        }
        using var response = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(4, attempts);
    }

    [Fact]
    public async Task HttpResilience_AttemptTimeout_ThrowsTimeoutRejected()
    {
        var time = new FakeTimeProvider();
        var attempt = Resilience(time).Timeout.ExecuteAsync(async ct =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, ct);
            return 0;
        }).AsTask();

        time.Advance(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => attempt.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>A fake clock that counts the timers made on it (each retry delay is one).</summary>
    private sealed class TimerCountingTime : FakeTimeProvider
    {
        private int _timers;

        public int TimersCreated => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _timers);
            return timer;
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(1, limit.Token);
        }
    }

    [Theory]
    [InlineData(typeof(HttpRequestException), true)]
    [InlineData(typeof(TimeoutRejectedException), true)]
    [InlineData(typeof(IOException), true)]
    [InlineData(typeof(InvalidOperationException), false)]
    public void HttpResilience_IsTransient_RetriesNetworkErrorsAndTimeoutsOnly(Type exception, bool expected)
    {
        Assert.Equal(expected, HttpResilience.IsTransient((Exception)Activator.CreateInstance(exception)!));
    }

    [Theory]
    [InlineData(false, BodyFailure.Retry, BodyFailure.Fail, 3)]
    [InlineData(false, BodyFailure.Fail, BodyFailure.Fail, 1)]
    [InlineData(true, BodyFailure.Retry, BodyFailure.Fail, 1)]
    [InlineData(true, BodyFailure.Retry, BodyFailure.Retry, 3)]
    public async Task HttpResilience_BadBodyUnder200_IsRetriedAsTheSpecSays(bool missingRecords, BodyFailure onInvalid, BodyFailure onMissing, int expectedAttempts)
    {
        var problem = missingRecords ? BodyProblem.MissingRecords : BodyProblem.Invalid;
        var retry = new HttpRetrySpec { MaxAttempts = 3, BaseDelayMs = 0, OnInvalidBody = onInvalid, OnMissingRecords = onMissing };
        var attempts = 0;

        using var attempt = await new HttpResilience(retry, TimeSpan.FromSeconds(30), new FakeTimeProvider(), () => 0.5).Retry.ExecuteAsync(_ =>
        {
            attempts++;
            return ValueTask.FromResult(HttpAttempt.Of(new HttpResponseMessage(HttpStatusCode.OK), problem));
        });

        Assert.Equal(expectedAttempts, attempts);
    }

    [Fact]
    public void HttpRetrySpec_BodyFailureDefaults_RetryInvalidBodiesAndFailMissingRecords()
    {
        var spec = new HttpRetrySpec();

        Assert.Equal((BodyFailure.Retry, BodyFailure.Fail), (spec.OnInvalidBody, spec.OnMissingRecords));
    }
}
