// Templates: ${name} from parameters, ${env:NAME} from the environment (kept secret), and the error texts.
using Etl.Runtime;
using Etl.Spec;

namespace Etl.Core.Tests.Spec;

public sealed class TemplatesTests
{
    private static readonly Dictionary<string, string> Parameters = new() { ["date"] = "2026-11-28", ["country"] = "FR" };

    private static (string Result, List<(string Path, string Message)> Errors, Redactor Secrets) Expand(string text, Dictionary<string, string>? parameters = null)
    {
        var errors = new List<(string, string)>();
        var secrets = new Redactor();
        var result = Templates.Expand(text, "$.sinks[0].path", parameters ?? Parameters, secrets, errors);
        return (result, errors, secrets);
    }

    [Theory]
    [InlineData("data/lake/orders/date=${date}", "data/lake/orders/date=2026-11-28")]
    [InlineData("${country}/${date}/${ date }", "FR/2026-11-28/2026-11-28")]
    [InlineData("no placeholders", "no placeholders")]
    [InlineData("costs $5", "costs $5")]
    [InlineData("literal $${date}", "literal ${date}")]
    public void Expand_Parameters_AreReplaced(string text, string expected)
    {
        var (result, errors, _) = Expand(text);

        Assert.Equal((expected, 0), (result, errors.Count));
    }

    [Fact]
    public void Expand_RuntimePlaceholder_IsLeftForTheRun()
    {
        Assert.Equal("since=${incremental.last}", Expand("since=${incremental.last}").Result);
    }

    [Fact]
    public void Expand_UnknownParameter_SuggestsTheClosestName()
    {
        var (_, errors, _) = Expand("date=${dat}");

        Assert.Equal([("$.sinks[0].path", "unknown parameter ${dat} (did you mean ${date}?)")], errors);
    }

    [Fact]
    public void Expand_UnknownParameterFarFromAnyName_ListsTheParameters()
    {
        var (_, errors, _) = Expand("${region}");

        Assert.Equal([("$.sinks[0].path", "unknown parameter ${region}; parameters are country, date")], errors);
    }

    [Fact]
    public void Expand_ParameterWithoutDeclaredParameters_SaysThereAreNone()
    {
        var (_, errors, _) = Expand("${date}", []);

        Assert.Equal([("$.sinks[0].path", "unknown parameter ${date}; the spec declares no parameters")], errors);
    }

    [Fact]
    public void Expand_EnvironmentVariable_IsReplacedAndRememberedAsASecret()
    {
        var name = $"ETL_TEST_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, "s3cr3t-token");
        try
        {
            var (result, errors, secrets) = Expand($"Bearer ${{env:{name}}}");

            Assert.Equal(("Bearer s3cr3t-token", 0), (result, errors.Count));
            Assert.Equal("Bearer ***", secrets.Redact(result));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void Expand_UnsetEnvironmentVariable_IsAnError()
    {
        var (_, errors, _) = Expand("${env:ETL_TEST_SURELY_UNSET}");

        Assert.Equal([("$.sinks[0].path", "environment variable ETL_TEST_SURELY_UNSET is not set (used as ${env:ETL_TEST_SURELY_UNSET})")], errors);
    }

    [Fact]
    public void ExpandRuntime_KnownValues_AreFilledAndOthersKept()
    {
        var values = new Dictionary<string, string> { ["incremental.last"] = "2026-11-27" };

        Assert.Equal("since=2026-11-27&x=${other}", Templates.ExpandRuntime("since=${incremental.last}&x=${other}", values));
    }

    [Theory]
    [InlineData("""{ "type": "http", "query": { "since": "${incremental.last}" } }""", true)]
    [InlineData("""{ "type": "http", "headers": { "${incremental.last}": "x" } }""", true)]
    [InlineData("""{ "type": "http", "values": { "id": ["a", "b${incremental.last}"] } }""", true)]
    [InlineData("""{ "type": "http", "query": { "since": "${other}", "page": 1 } }""", false)]
    public void HasRuntimePlaceholder_FindsOneInAnyNameOrText(string source, bool expected)
    {
        Assert.Equal(expected, Templates.HasRuntimePlaceholder(System.Text.Json.Nodes.JsonNode.Parse(source)));
    }
}
