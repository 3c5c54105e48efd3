// Tests of the http source spec: defaults, and the exact text of each problem a spec can have.
using Etl.Sources.Http;
using Etl.Spec;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceSpecTests
{
    private static string Problems(string source)
    {
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(HttpTestRuns.Spec(source, "/tmp/unused"), "test.json"));
        return string.Join("\n", e.Errors.Select(x => $"{x.JsonPath}: {x.Message}"));
    }

    [Fact]
    public void HttpSourceSpec_Defaults_ArePinned()
    {
        var spec = (HttpSourceSpec)SpecLoader.Parse(HttpTestRuns.Spec("""{ "type": "http", "baseUrl": "http://h" }""", "/tmp/unused"), "test.json").Spec.Source;

        Assert.Equal(8, spec.Concurrency);
        Assert.Equal(30, spec.TimeoutSeconds);
        Assert.Equal(HttpSourceMethod.Get, spec.Method);
        Assert.Equal(RetryAfterScope.Host, spec.RetryAfterScope);
        Assert.False(spec.AdaptiveConcurrency);
        Assert.Null(spec.RequestsPerSecond);
    }

    [Fact]
    public void HttpSourceSpec_IssueExample_Loads()
    {
        Environment.SetEnvironmentVariable("ETL_SPEC_TEST_TOKEN", "tok-123");
        var loaded = SpecLoader.Parse("""
            {
              "name": "orders", "parameters": { "date": "2026-11-28" },
              "source": {
                "type": "http",
                "baseUrl": "https://api.example.com",
                "path": "/orders/{id}",
                "values": { "id": { "from": 1, "to": 1000 } },
                "query": { "status": "paid", "since": "${date}" },
                "headers": { "Authorization": "Bearer ${env:ETL_SPEC_TEST_TOKEN}" },
                "recordPath": "data",
                "pagination": { "type": "cursor", "cursorPath": "next_cursor", "param": "cursor" },
                "concurrency": 50,
                "requestsPerSecond": 200,
                "timeoutSeconds": 30,
                "retry": { "maxAttempts": 5, "baseDelayMs": 200, "maxDelayMs": 60000, "retryOn": [408, 429, 500, 502, 503, 504] }
              },
              "sinks": [ { "type": "parquet", "path": "/tmp/unused" } ]
            }
            """, "test.json");

        var spec = (HttpSourceSpec)loaded.Spec.Source;
        Assert.Equal(1000, spec.Values!["id"].To);
        Assert.Equal("2026-11-28", spec.Query!["since"]);
        Assert.Contains("tok-123", loaded.Secrets.Secrets);
    }

    [Fact]
    public void HttpSourceSpec_UnknownPathPlaceholder_SuggestsTheValueName()
    {
        Assert.Equal(
            "$.source.path: placeholder {idd} has no entry in \"values\" (did you mean {id}?)",
            Problems("""{ "type": "http", "baseUrl": "http://h", "path": "/o/{idd}", "values": { "id": [1] } }"""));
    }

    [Fact]
    public void HttpSourceSpec_RelativeBaseUrl_IsRefused()
    {
        Assert.Equal(
            "$.source.baseUrl: expected an absolute http or https URL; got \"api.example.com\"",
            Problems("""{ "type": "http", "baseUrl": "api.example.com" }"""));
    }

    [Fact]
    public void HttpSourceSpec_CursorWithoutCursorPath_IsRefused()
    {
        Assert.Equal(
            "$.source.pagination.cursorPath: required for pagination type cursor (or \"cursorFrom\": \"lastRecord\" with cursorField)",
            Problems("""{ "type": "http", "baseUrl": "http://h", "pagination": { "type": "cursor" } }"""));
    }

    [Fact]
    public void HttpSourceSpec_FieldOfAnotherPaginationType_IsRefused()
    {
        Assert.Equal(
            "$.source.pagination.cursorPath: does not apply to pagination type page (it applies to cursor)",
            Problems("""{ "type": "http", "baseUrl": "http://h", "pagination": { "type": "page", "cursorPath": "next" } }"""));
    }

    [Fact]
    public void HttpSourceSpec_BodyPagingWithGet_IsRefused()
    {
        Assert.Equal(
            "$.source.pagination.in: body needs \"method\": \"post\" on the source",
            Problems("""{ "type": "http", "baseUrl": "http://h", "pagination": { "type": "page", "in": "body" } }"""));
    }

    [Fact]
    public void HttpSourceSpec_BodyWithGet_IsRefused()
    {
        Assert.Equal(
            "$.source.body: a body needs \"method\": \"post\"",
            Problems("""{ "type": "http", "baseUrl": "http://h", "body": { "q": 1 } }"""));
    }

    [Fact]
    public void HttpSourceSpec_BearerWithoutToken_IsRefused()
    {
        Assert.Equal(
            "$.source.auth.token: required for auth type bearer",
            Problems("""{ "type": "http", "baseUrl": "http://h", "auth": { "type": "bearer" } }"""));
    }

    [Theory]
    [InlineData("order-id")]
    [InlineData("1st")]
    [InlineData("")]
    public void HttpSourceSpec_ValueNameNotAPlaceholderName_IsRefused(string name)
    {
        Assert.Contains(
            $"$.source.values.{name}: a placeholder name takes letters, digits and _ and starts with a letter or _",
            Problems($$"""{ "type": "http", "baseUrl": "http://h", "path": "/x", "values": { "{{name}}": [1, 2] } }"""));
    }

    [Fact]
    public void HttpSourceSpec_ValueNamesOfLettersDigitsAndUnderscores_AreTaken()
    {
        var spec = (HttpSourceSpec)SpecLoader.Parse(HttpTestRuns.Spec(
            """{ "type": "http", "baseUrl": "http://h", "path": "/{_a}/{B2}", "values": { "_a": [1], "B2": [2] } }""", "/tmp/unused"), "test.json").Spec.Source;

        Assert.Equal(["_a", "B2"], spec.Values!.Keys);
    }

    [Fact]
    public void HttpSourceSpec_RangeStepAgainstDirection_IsRefused()
    {
        Assert.Equal(
            "$.source.values.id.step: a range from 10 to 1 needs a negative step; got 1",
            Problems("""{ "type": "http", "baseUrl": "http://h", "path": "/{id}", "values": { "id": { "from": 10, "to": 1 } } }"""));
    }

    [Fact]
    public void HttpSourceSpec_MaxDelayBelowBaseDelay_IsRefused()
    {
        Assert.Equal(
            "$.source.retry.maxDelayMs: expected a number >= baseDelayMs (500); got 100",
            Problems("""{ "type": "http", "baseUrl": "http://h", "retry": { "baseDelayMs": 500, "maxDelayMs": 100 } }"""));
    }

    [Fact]
    public void HttpSourceSpec_ZeroConcurrency_IsRefused()
    {
        Assert.Equal(
            "$.source.concurrency: expected a number from 1 to 10000; got 0",
            Problems("""{ "type": "http", "baseUrl": "http://h", "concurrency": 0 }"""));
    }

    [Fact]
    public void HttpSourceSpec_UnknownFieldInValueSet_IsRefused()
    {
        Assert.Contains(
            "$.source.values.id.form: unknown field \"form\"",
            Problems("""{ "type": "http", "baseUrl": "http://h", "path": "/{id}", "values": { "id": { "form": 1, "to": 3 } } }"""));
    }

    [Fact]
    public void HttpAuthSpec_OAuth2WithoutCredentials_NamesEachMissingField()
    {
        Assert.Equal(
            "$.source.auth.tokenUrl: required for auth type oauth2\n$.source.auth.clientId: required for auth type oauth2\n$.source.auth.clientSecret: required for auth type oauth2",
            Problems("""{ "type": "http", "baseUrl": "http://h", "auth": { "type": "oauth2" } }"""));
    }

    [Fact]
    public void HttpAuthSpec_OAuth2WithBearerToken_SaysTheTokenDoesNotApply()
    {
        Assert.Equal(
            "$.source.auth.token: does not apply to auth type oauth2",
            Problems("""{ "type": "http", "baseUrl": "http://h", "auth": { "type": "oauth2", "tokenUrl": "http://h/token", "clientId": "a", "clientSecret": "b", "token": "t" } }"""));
    }

    [Fact]
    public void HttpAuthSpec_OAuth2RelativeTokenUrl_IsRefused()
    {
        Assert.Equal(
            "$.source.auth.tokenUrl: expected an absolute http or https URL; got \"/token\"",
            Problems("""{ "type": "http", "baseUrl": "http://h", "auth": { "type": "oauth2", "tokenUrl": "/token", "clientId": "a", "clientSecret": "b" } }"""));
    }

    [Fact]
    public void HttpRetrySpec_UnknownBodyFailure_IsRefused()
    {
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(
            HttpTestRuns.Spec("""{ "type": "http", "baseUrl": "http://h", "retry": { "onInvalidBody": "ignore" } }""", "/tmp/unused"), "test.json"));

        Assert.Contains(e.Errors, x => x.JsonPath == "$.source.retry.onInvalidBody");
    }
}
