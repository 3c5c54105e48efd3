// What one attempt of a request got: the response, the start of a body that failed and, for a 2xx, the page parsed from it.
namespace Etl.Sources.Http;

/// <summary>Why a 2xx body could not be read as a page.</summary>
internal enum BodyProblem
{
    None,

    /// <summary>Not JSON: an HTML error page, a truncated or empty body, a syntax error.</summary>
    Invalid,

    /// <summary>Valid JSON with no array or object at recordPath.</summary>
    MissingRecords,
}

internal sealed class HttpAttempt(HttpResponseMessage response, byte[] body, ParsedBody? page, BodyProblem problem, string? error) : IDisposable
{
    public HttpResponseMessage Response { get; } = response;

    /// <summary>What the dead letter shows of the body: its first <see cref="ResponseBody.DeadLetterBytes"/>, for an
    /// error answer or a 2xx body that is not a page; empty for a page.</summary>
    public byte[] Body { get; } = body;

    /// <summary>The page of a 2xx whose body was read; null otherwise.</summary>
    public ParsedBody? Page { get; } = page;

    public BodyProblem Problem { get; } = problem;

    /// <summary>What is wrong with the body, when <see cref="Problem"/> says something is.</summary>
    public string? Error { get; } = error;

    public bool Succeeded => Page is not null;

    /// <summary>An attempt whose body was not read as a page (tests, non-2xx answers).</summary>
    public static HttpAttempt Of(HttpResponseMessage response, BodyProblem problem = BodyProblem.None) => new(response, [], null, problem, null);

    public void Dispose()
    {
        Page?.Spilled?.Dispose();
        Response.Dispose();
    }
}
