using AdminApi.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace P2P.AdminApi.Tests.Hosting;

public sealed class AdminSigningKeyProviderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("p2p-signing-key-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private AdminSigningKeyProvider Provider(string environment, string? configuredKey = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(configuredKey is null ? [] : [new("Admin:SigningKey", configuredKey)])
            .Build();
        return new AdminSigningKeyProvider(configuration, new HostingEnvironment { EnvironmentName = environment }, _directory);
    }

    private string KeyFile => Path.Combine(_directory, "admin-signing-key");

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public void GetSigningKey_Configured_ReturnsItAndWritesNoFile(string environment)
    {
        const string Configured = "a-configured-signing-key-of-more-than-32-bytes";

        Assert.Equal(Configured, Provider(environment, Configured).GetSigningKey());
        Assert.False(File.Exists(KeyFile));
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public void GetSigningKey_ConfiguredShorterThan256Bits_ThrowsNamingTheSetting(string environment)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Provider(environment, new string('k', 31)).GetSigningKey());

        Assert.Contains("Admin__SigningKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('k', 31), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void GetSigningKey_MissingOutsideDevelopment_ThrowsNamingTheSetting(string environment)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Provider(environment).GetSigningKey());

        Assert.Contains("Admin__SigningKey", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(KeyFile));
    }

    [Fact]
    public void GetSigningKey_MissingInDevelopment_GeneratesA256BitKeyFile()
    {
        var key = Provider(Environments.Development).GetSigningKey();

        Assert.True(Convert.FromBase64String(key).Length >= 32);
        Assert.Equal(key, File.ReadAllText(KeyFile));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void GetSigningKey_GeneratedOnUnix_IsOwnerReadWriteOnly()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes only");

        Provider(Environments.Development).GetSigningKey();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
    }

    [Fact]
    public void GetSigningKey_SecondStart_ReusesTheStoredKey()
    {
        var first = Provider(Environments.Development).GetSigningKey();

        var second = Provider(Environments.Development).GetSigningKey();

        Assert.Equal(first, second);
    }

    [Fact]
    public void GetSigningKey_TwoDirectories_GenerateDifferentKeys()
    {
        var other = Directory.CreateTempSubdirectory("p2p-signing-key-tests-").FullName;
        try
        {
            var configuration = new ConfigurationBuilder().Build();
            var env = new HostingEnvironment { EnvironmentName = Environments.Development };
            Assert.NotEqual(
                new AdminSigningKeyProvider(configuration, env, other).GetSigningKey(),
                Provider(Environments.Development).GetSigningKey());
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void GetSigningKey_StoredFileWithWiderPermissions_IsTightened()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes only");
        var key = Provider(Environments.Development).GetSigningKey();
        File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        Assert.Equal(key, Provider(Environments.Development).GetSigningKey());

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("c2hvcnQ=")]
    [InlineData("")]
    public void GetSigningKey_DamagedStoredFile_ThrowsInsteadOfUsingAWeakKey(string content)
    {
        File.WriteAllText(KeyFile, content);

        var error = Assert.Throws<InvalidOperationException>(() => Provider(Environments.Development).GetSigningKey());

        Assert.Contains(KeyFile, error.Message, StringComparison.Ordinal);
    }
}
