// Test-only pause points, so end-to-end tests can kill a real etl process at an exact step of a run.
using Etl.Lake;

namespace Etl.Cli.Commands;

/// <summary>
/// With <c>ETL_TEST_PAUSE_AT=point</c> and <c>ETL_TEST_PAUSE_FILE=path</c> in the environment, the run creates
/// <c>path.reached</c> when it gets to <c>point</c> and waits there (without holding a thread) until <c>path</c> exists,
/// at most <see cref="MaxWait"/>, or until the run is cancelled. Points: <c>write</c> (after the first batch is written to staging), <c>commit-start</c>
/// (the commit starts, nothing published yet), <c>commit-rename</c> (local disk: after the first file is renamed into place),
/// <c>commit-log</c> (the commit log entry is created, the manifest not yet rewritten),
/// <c>commit-manifest</c> (new manifest written, replaced files not yet deleted). Without the variables it does nothing.
/// </summary>
public static class TestCheckpoint
{
    public const string PointVariable = "ETL_TEST_PAUSE_AT";
    public const string FileVariable = "ETL_TEST_PAUSE_FILE";
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(120);

    public static Checkpoint FromEnvironment()
    {
        var point = Environment.GetEnvironmentVariable(PointVariable);
        var file = Environment.GetEnvironmentVariable(FileVariable);
        if (point is null || file is null)
        {
            return Checkpoints.None;
        }
        var paused = 0;
        return async (reached, cancellationToken) =>
        {
            if (!string.Equals(point, reached, StringComparison.Ordinal) || Interlocked.Exchange(ref paused, 1) == 1)
            {
                return;
            }
            await File.WriteAllTextAsync(file + ".reached", reached, CancellationToken.None);
            var deadline = DateTime.UtcNow + MaxWait;
            // A cancelled run (Ctrl+C at the pause) stops here, as it would stop in any step it was blocked in.
            while (!File.Exists(file) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20, cancellationToken);
            }
        };
    }
}
