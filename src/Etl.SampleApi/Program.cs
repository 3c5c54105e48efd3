// Runs the sample API from the command line so example pipelines can ingest from HTTP offline.
using System.Runtime.InteropServices;
using Etl.SampleApi;
using Etl.SampleApi.Internal;

if (!CommandLine.TryParse(args, out var command, out var error))
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}
if (command.ShowHelp)
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    stop.Cancel();
});

SampleApiServer server;
try
{
    server = await SampleApiServer.StartAsync(command.Options, command.Url, stop.Token);
}
catch (Exception ex) when (ex is ArgumentException or IOException)
{
    Console.Error.WriteLine($"etl-sample-api: cannot serve on {command.Url}: {ex.Message}");
    return 1;
}

await using (server)
{
    Console.WriteLine($"etl-sample-api listening on {server.BaseAddress} (Ctrl+C to stop)");
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        // Ctrl+C or SIGTERM: stop gracefully.
    }
}
return 0;
