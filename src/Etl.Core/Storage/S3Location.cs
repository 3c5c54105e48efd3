// An s3://bucket/key path split into its bucket and key.
namespace Etl.Storage;

public readonly record struct S3Location(string Bucket, string Key)
{
    public const string Prefix = "s3://";

    public static S3Location Parse(string path)
    {
        if (!path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{path}' is not an s3:// path", nameof(path));
        }
        var rest = path[Prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length == 0)
        {
            throw new ArgumentException($"'{path}' names no bucket (expected s3://bucket/prefix)", nameof(path));
        }
        return new S3Location(bucket, slash < 0 ? "" : rest[(slash + 1)..].Trim('/'));
    }

    /// <summary>The key as a folder prefix ("a/b/"), or "" for the bucket's root.</summary>
    public string FolderPrefix => Key.Length == 0 ? "" : Key + "/";

    public override string ToString() => $"{Prefix}{Bucket}/{Key}";
}
