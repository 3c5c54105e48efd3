// The Retry-After value the sample API sends: seconds, or the HTTP-date that many seconds from now.
using System.Globalization;

namespace Etl.SampleApi.Internal;

internal sealed class RetryAfterValue(SampleApiOptions options)
{
    private readonly string _seconds = options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>The value for an answer sent now.</summary>
    public string Next() => options.RetryAfterAsDate
        ? (options.TimeProvider.GetUtcNow() + TimeSpan.FromSeconds(options.RetryAfterSeconds)).ToString("R", CultureInfo.InvariantCulture)
        : _seconds;
}
