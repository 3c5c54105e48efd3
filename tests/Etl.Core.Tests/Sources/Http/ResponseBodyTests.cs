// Tests of how a response body held whole becomes a page: the records at recordPath, or why it is no page.
using System.Text;
using Etl.Records;
using Etl.Sources.Http;

namespace Etl.Core.Tests.Sources.Http;

public sealed class ResponseBodyTests
{
    private static (ParsedBody? Page, string? Error, BodyProblem Problem) Parse(string body, string? recordPath = "data")
    {
        var page = ResponseBody.Parse(Encoding.UTF8.GetBytes(body), recordPath is null ? null : RecordPath.Parse(recordPath),
            blankIsEmptyPage: false, out var error, out var problem);
        return (page, error, problem);
    }

    [Theory]
    [InlineData("""{"data": [{"id": 1},]}""")]
    [InlineData("""{"data": [{"id": 1}], }""")]
    [InlineData("""{"data": [{"id": 1}]} // a note""")]
    [InlineData("""{"data": /* a note */ [{"id": 1}]}""")]
    public void ResponseBody_TrailingCommaOrComment_IsAnInvalidBody(string body)
    {
        var (page, error, problem) = Parse(body);

        Assert.Null(page);
        Assert.Equal(BodyProblem.Invalid, problem);
        Assert.StartsWith("the body is not valid JSON: ", error, StringComparison.Ordinal);
    }
}
