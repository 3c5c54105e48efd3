// A real S3 API for tests: moto_server started on a free 127.0.0.1 port for the test run, stopped with it.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.S3;

namespace Etl.Core.Tests.Storage;

public sealed class MotoServer : IAsyncLifetime
{
    private Process? _process;

    public string Endpoint { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var port = FreePort();
        Endpoint = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("moto_server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }
        _process = Process.Start(info) ?? throw new InvalidOperationException("moto_server did not start (is moto installed?)");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // The engine's S3 storage reads the standard AWS configuration when it first connects.
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_S3", Endpoint);
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "test-key-id");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "test-secret-key");
        Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
        await WaitUntilUpAsync(port);
    }

    /// <summary>A new empty bucket; its s3:// root.</summary>
    public async Task<string> NewBucketAsync()
    {
        var name = "etl-" + Guid.NewGuid().ToString("N")[..12];
        using var client = new AmazonS3Client("test-key-id", "test-secret-key", new AmazonS3Config { ServiceURL = Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await client.PutBucketAsync(name);
        return $"s3://{name}";
    }

    /// <summary>Writes the lease object a process killed more than a lease's duration ago leaves behind: it has expired.</summary>
    public static Task LeaveExpiredLeaseAsync(string path) => Etl.Storage.StorageRegistry.For(path).WriteAllBytesAsync(path,
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { Owner = "killed", Host = "gone", Pid = 1, Expires = DateTimeOffset.UtcNow.AddMinutes(-1) }),
        CancellationToken.None);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilUpAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"moto_server exited with {_process.ExitCode}");
            }
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("moto_server did not listen within 30 s");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto_server";
}
