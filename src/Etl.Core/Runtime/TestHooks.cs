// Test-only pause points, so end-to-end tests can kill a real etl process at an exact step of a run.
namespace Etl.Runtime;

/// <summary>
/// With <c>ETL_TEST_PAUSE_AT=point</c> and <c>ETL_TEST_PAUSE_FILE=path</c> in the environment, the run creates
/// <c>path.reached</c> when it gets to <c>point</c> and waits there until <c>path</c> exists (at most
/// <see cref="MaxWait"/>). Points: <c>write</c> (after the first batch is written to staging), <c>commit-journal</c>
/// (journal written, nothing moved yet), <c>commit-rename</c> (after the first file is moved into place),
/// <c>commit-manifest</c> (new manifest written, replaced files not yet deleted). Without the variables it does nothing.
/// </summary>
public static class TestHooks
{
    public const string PointVariable = "ETL_TEST_PAUSE_AT";
    public const string FileVariable = "ETL_TEST_PAUSE_FILE";
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(120);

    private static readonly string? Point = Environment.GetEnvironmentVariable(PointVariable);
    private static readonly string? File = Environment.GetEnvironmentVariable(FileVariable);
    private static int _paused;

    public static void Pause(string point)
    {
        if (Point is null || File is null || !string.Equals(Point, point, StringComparison.Ordinal)
            || Interlocked.Exchange(ref _paused, 1) == 1)
        {
            return;
        }
        System.IO.File.WriteAllText(File + ".reached", point);
        var deadline = DateTime.UtcNow + MaxWait;
        while (!System.IO.File.Exists(File) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }
    }
}
