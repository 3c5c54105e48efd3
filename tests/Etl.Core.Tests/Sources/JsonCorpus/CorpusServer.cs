// A Kestrel server that answers 200 with a corpus file as the body: /c/{n} the n-th file's text, /w/{n} the text under
// "data" ({"data": TEXT}), as application/json without a charset. Files go by number: names hold '#' and '+'.
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Etl.Core.Tests.Sources.JsonCorpus;

public sealed class CorpusServer : IAsyncLifetime
{
    private WebApplication? _app;

    /// <summary>The bound address, ending in '/'.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Requests answered since start.</summary>
    public int Requests => _requests;

    private int _requests;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(AnswerAsync);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
    }

    private async Task AnswerAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var path = context.Request.Path.Value ?? "";
        var text = JsonTestSuite.Bytes(Names[int.Parse(path[3..], System.Globalization.CultureInfo.InvariantCulture)]);
        byte[] body = path.StartsWith("/w/", StringComparison.Ordinal) ? [.. "{\"data\": "u8, .. text, .. "}"u8] : text;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body);
    }

    /// <summary>The URL path of <paramref name="name"/>'s text, or of the text under "data" when <paramref name="wrapped"/>.</summary>
    public static string PathOf(string name, bool wrapped) => (wrapped ? "/w/" : "/c/") + Array.IndexOf(Names, name);

    private static readonly string[] Names = [.. JsonTestSuite.Files.Cast<object[]>().Select(row => (string)row[0])];

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
