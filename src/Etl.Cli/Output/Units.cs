// Numbers as the progress display prints them: grouped counts, decimal byte sizes (as etl plan prints them), rates.
using System.Globalization;

namespace Etl.Cli.Output;

public static class Units
{
    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Bytes(double b) => b switch
    {
        >= 1e9 => string.Create(CultureInfo.InvariantCulture, $"{b / 1e9:F1} GB"),
        >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{b / 1e6:F1} MB"),
        >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{b / 1e3:F1} kB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{b:F0} B"),
    };

    /// <summary>A rate of <paramref name="unit"/> per second: "38.2 MB/s" for bytes, "45 requests/s" otherwise.</summary>
    public static string Rate(double perSecond, string unit) =>
        unit == "bytes" ? $"{Bytes(perSecond)}/s" : $"{Count((long)perSecond)} {unit}/s";
}
