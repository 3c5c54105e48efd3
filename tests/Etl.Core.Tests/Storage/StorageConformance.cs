// The behaviour every storage must have, run against each one: a new storage gets these tests by one class of one line.
using System.Text;
using Etl.Storage;

namespace Etl.Core.Tests.Storage;

public abstract class StorageConformance
{
    /// <summary>A fresh empty folder of the storage under test, as a path the engine would be given.</summary>
    protected abstract Task<string> NewRootAsync();

    private static IStorage For(string path) => StorageRegistry.For(path);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task WriteAllBytes_ThenReadAllBytes_ReturnsTheContent()
    {
        var root = await NewRootAsync();
        var storage = For(root);
        var path = storage.Combine(root, "a/b/c.json");

        await storage.WriteAllBytesAsync(path, Bytes("{\"x\":1}"), CancellationToken.None);

        Assert.Equal("{\"x\":1}", Encoding.UTF8.GetString((await storage.ReadAllBytesAsync(path, CancellationToken.None))!));
    }

    [Fact]
    public async Task ReadAllBytes_Missing_ReturnsNull()
    {
        var root = await NewRootAsync();

        Assert.Null(await For(root).ReadAllBytesAsync(For(root).Combine(root, "missing.json"), CancellationToken.None));
    }

    [Fact]
    public async Task TryCreateNew_WhenSomethingIsThere_ReturnsFalseAndKeepsTheFirst()
    {
        var root = await NewRootAsync();
        var storage = For(root);
        var path = storage.Combine(root, "_log/00001.json");

        var first = await storage.TryCreateNewAsync(path, Bytes("first"), CancellationToken.None);
        var second = await storage.TryCreateNewAsync(path, Bytes("second"), CancellationToken.None);

        Assert.Equal((true, false), (first, second));
        Assert.Equal("first", Encoding.UTF8.GetString((await storage.ReadAllBytesAsync(path, CancellationToken.None))!));
    }

    [Fact]
    public async Task Create_ObjectLargerThanOnePart_ReadsBackWholeAndFromAnyOffset()
    {
        var root = await NewRootAsync();
        var storage = For(root);
        var path = storage.Combine(root, "big.bin");
        var content = new byte[(S3WriteStream.PartSize * 2) + 12345];
        new Random(42).NextBytes(content);

        await using (var stream = await storage.CreateAsync(path, CancellationToken.None))
        {
            for (var offset = 0; offset < content.Length; offset += 1 << 20)
            {
                await stream.WriteAsync(content.AsMemory(offset, Math.Min(1 << 20, content.Length - offset)));
            }
        }
        await using var read = await storage.OpenReadAsync(path, CancellationToken.None);
        read.Seek(-8, SeekOrigin.End);
        var tail = new byte[8];
        await read.ReadExactlyAsync(tail);
        read.Position = 0;
        var whole = new byte[content.Length];
        await read.ReadExactlyAsync(whole);

        Assert.Equal(content.Length, read.Length);
        Assert.Equal(content[^8..], tail);
        Assert.Equal(content, whole);
    }

    [Fact]
    public async Task List_Recursive_ListsEveryFileWithItsSize()
    {
        var (root, storage) = await WithFilesAsync("x.csv", "sub/y.csv", "sub/deeper/z.csv");

        var files = await storage.ListAsync(root, recursive: true, CancellationToken.None).ToListAsync();

        Assert.Equal(["sub/deeper/z.csv", "sub/y.csv", "x.csv"], files.Select(f => storage.RelativePath(root, f.Path)).Order(StringComparer.Ordinal));
        Assert.All(files, f => Assert.Equal(storage.RelativePath(root, f.Path).Length, f.Length));
    }

    [Fact]
    public async Task List_NotRecursive_ListsOnlyTheFolder()
    {
        var (root, storage) = await WithFilesAsync("x.csv", "sub/y.csv");

        var files = await storage.ListAsync(root, recursive: false, CancellationToken.None).ToListAsync();

        Assert.Equal(["x.csv"], files.Select(f => storage.RelativePath(root, f.Path)));
    }

    [Fact]
    public async Task ListFolders_ListsTheSubfolders()
    {
        var (root, storage) = await WithFilesAsync("x.csv", "a/y.csv", "b/c/z.csv");

        var folders = await storage.ListFoldersAsync(root, CancellationToken.None).ToListAsync();

        Assert.Equal(["a", "b"], folders.Select(f => storage.RelativePath(root, f)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FolderExists_OnlyForAFolderHoldingFiles()
    {
        var (root, storage) = await WithFilesAsync("sub/y.csv");

        Assert.True(await storage.FolderExistsAsync(storage.Combine(root, "sub"), CancellationToken.None));
        Assert.False(await storage.FolderExistsAsync(storage.Combine(root, "none"), CancellationToken.None));
        Assert.False(await storage.FolderExistsAsync(storage.Combine(root, "sub/y.csv"), CancellationToken.None));
    }

    [Fact]
    public async Task Stat_FileAndMissing_GivesLengthOrNull()
    {
        var (root, storage) = await WithFilesAsync("sub/y.csv");

        Assert.Equal(9, (await storage.StatAsync(storage.Combine(root, "sub/y.csv"), CancellationToken.None))?.Length);
        Assert.Null(await storage.StatAsync(storage.Combine(root, "sub/none.csv"), CancellationToken.None));
    }

    [Fact]
    public async Task Move_ReplacesTheTargetAndRemovesTheSource()
    {
        var (root, storage) = await WithFilesAsync("_tmp/r1/part.csv", "part.csv");

        await storage.MoveAsync(storage.Combine(root, "_tmp/r1/part.csv"), storage.Combine(root, "part.csv"), CancellationToken.None);

        Assert.Equal("_tmp/r1/part.csv", Encoding.UTF8.GetString((await storage.ReadAllBytesAsync(storage.Combine(root, "part.csv"), CancellationToken.None))!));
        Assert.Null(await storage.StatAsync(storage.Combine(root, "_tmp/r1/part.csv"), CancellationToken.None));
    }

    [Fact]
    public async Task DeleteFolder_RemovesEverythingBelowIt()
    {
        var (root, storage) = await WithFilesAsync("_tmp/r1/a.csv", "_tmp/r1/b/c.csv", "keep.csv");

        await storage.DeleteFolderAsync(storage.Combine(root, "_tmp"), CancellationToken.None);

        var left = await storage.ListAsync(root, recursive: true, CancellationToken.None).ToListAsync();
        Assert.Equal(["keep.csv"], left.Select(f => storage.RelativePath(root, f.Path)));
    }

    [Fact]
    public async Task Lock_WhileHeld_RefusesASecondHolderUntilReleased()
    {
        var root = await NewRootAsync();
        var storage = For(root);
        var path = storage.Combine(root, "_lock");

        var first = await storage.LockAsync(path, CancellationToken.None);
        await Assert.ThrowsAsync<StorageLockedException>(() => storage.LockAsync(path, CancellationToken.None));
        first.Dispose();
        using var second = await storage.LockAsync(path, CancellationToken.None);
    }

    [Fact]
    public async Task OpenRead_Missing_ThrowsFileNotFound()
    {
        var root = await NewRootAsync();

        await Assert.ThrowsAnyAsync<FileNotFoundException>(() => For(root).OpenReadAsync(For(root).Combine(root, "none.csv"), CancellationToken.None));
    }

    /// <summary>A root holding files whose content is their own relative path.</summary>
    private async Task<(string Root, IStorage Storage)> WithFilesAsync(params string[] relatives)
    {
        var root = await NewRootAsync();
        var storage = For(root);
        foreach (var relative in relatives)
        {
            await storage.WriteAllBytesAsync(storage.Combine(root, relative), Bytes(relative), CancellationToken.None);
        }
        return (root, storage);
    }
}

public sealed class LocalStorageConformance : StorageConformance, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("etl-storage-").FullName;

    protected override Task<string> NewRootAsync() => Task.FromResult(Directory.CreateDirectory(Path.Combine(_root, Guid.NewGuid().ToString("N"))).FullName);

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

[Collection(MotoCollection.Name)]
public sealed class S3StorageConformance(MotoServer moto) : StorageConformance
{
    protected override Task<string> NewRootAsync() => moto.NewBucketAsync().ContinueWith(t => t.Result + "/lake", TaskScheduler.Default);
}
