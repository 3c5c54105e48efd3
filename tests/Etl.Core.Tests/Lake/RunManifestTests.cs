// RunManifest: reading the version of a folder's manifest without its list of files.
using Etl.Core.Tests.TestSupport;
using Etl.Lake;

namespace Etl.Core.Tests.Lake;

public sealed class RunManifestTests : IDisposable
{
    private readonly TestFolder _folder = new();

    [Fact]
    public async Task TryReadVersion_Manifest_ReturnsItsTopLevelVersion()
    {
        _folder.Write("lake/_manifest.json", """{"runId":"r","files":[{"path":"a","version":7,"schema":[{"version":8}]}],"version":3}""");

        Assert.Equal(3L, await RunManifest.TryReadVersionAsync(_folder.PathOf("lake")));
    }

    [Fact]
    public async Task TryReadVersion_NoManifest_ReturnsNull() =>
        Assert.Null(await RunManifest.TryReadVersionAsync(_folder.PathOf("lake")));

    [Fact]
    public async Task TryReadVersion_ManifestOfAnEtlBeforeTheLog_ReturnsNull()
    {
        _folder.Write("lake/_manifest.json", """{"runId":"r","files":[]}""");

        Assert.Null(await RunManifest.TryReadVersionAsync(_folder.PathOf("lake")));
    }

    [Fact]
    public async Task TryReadVersion_TruncatedManifest_ReturnsNull()
    {
        _folder.Write("lake/_manifest.json", """{"version":3,"files":[{"path":"a" """);

        Assert.Null(await RunManifest.TryReadVersionAsync(_folder.PathOf("lake")));
    }

    public void Dispose() => _folder.Dispose();
}
