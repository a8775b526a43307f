using P2P.ApiKeys.Cli.Files;
using P2P.ApiKeys.Cli.Tests.Infrastructure;

namespace P2P.ApiKeys.Cli.Tests.Files;

public sealed class EnvFileTests : IDisposable
{
    private const string Key = "p2p_AbCdEf123456_0123456789abcdefghijABCDEFGHIJ012345";
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task SetApiKey_NoFile_CreatesOwnerOnlyFileWithTheKeyQuoted()
    {
        var path = _folder.File(".env");

        await EnvFile.SetApiKeyAsync(path, Key, TestContext.Current.CancellationToken);

        Assert.Equal($"API_KEY=\"{Key}\"\n", await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
        FileModes.AssertOwnerOnly(path);
    }

    [Fact]
    public async Task SetApiKey_FileWithKeyLines_ReplacesEveryApiKeyLineOnceAndKeepsTheRest()
    {
        var path = _folder.File(".env");
        await File.WriteAllTextAsync(path, "# settings\nAPI_BASE_URL=http://127.0.0.1:8000\nAPI_KEY=\"p2p_old\"\nOTHER=1\n  export API_KEY=p2p_older\nAPI_KEYS=keep\n", TestContext.Current.CancellationToken);

        await EnvFile.SetApiKeyAsync(path, Key, TestContext.Current.CancellationToken);

        Assert.Equal(
            $"# settings\nAPI_BASE_URL=http://127.0.0.1:8000\nAPI_KEY=\"{Key}\"\nOTHER=1\nAPI_KEYS=keep\n",
            await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SetApiKey_WorldReadableFileWithoutFinalNewline_AppendsAndMakesItOwnerOnly()
    {
        var path = _folder.File("app.env");
        await File.WriteAllTextAsync(path, "OTHER=1", TestContext.Current.CancellationToken);
        FileModes.MakeWorldReadable(path);

        await EnvFile.SetApiKeyAsync(path, Key, TestContext.Current.CancellationToken);

        Assert.Equal($"OTHER=1\nAPI_KEY=\"{Key}\"\n", await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
        FileModes.AssertOwnerOnly(path);
        Assert.Single(Directory.GetFiles(_folder.Path)); // no temporary file left behind
    }

    public void Dispose() => _folder.Dispose();
}
