using System.Net.Http.Json;
using AdminApi.Hosting;
using Microsoft.Extensions.Configuration;
using P2P.AdminApi.Tests.Infrastructure;

namespace P2P.AdminApi.Tests.Hosting;

public sealed class AdminApiDataDirectoryTests
{
    [Fact]
    public void Resolve_ConfiguredDirectory_CreatesItOwnerOnly()
    {
        var root = Directory.CreateTempSubdirectory("p2p-datadir-tests-").FullName;
        try
        {
            var target = Path.Combine(root, "nested", "data");
            var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("DataDirectory", target)]).Build();

            var resolved = AdminApiDataDirectory.Resolve(configuration);

            Assert.Equal(target, resolved);
            Assert.True(Directory.Exists(target));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(target));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void DefaultPath_NoConfiguration_IsUnderTheUserDataFolderNotTheSourceTree()
    {
        var path = AdminApiDataDirectory.DefaultPath();

        Assert.Equal("p2p-adminapi", Path.GetFileName(path));
        Assert.True(Path.IsPathRooted(path));
        Assert.DoesNotContain(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..")), path, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_Started_KeepsSigningKeyAndDatabaseInTheDataDirectory()
    {
        using var factory = new AdminApiFactory();
        using var client = factory.CreateClient();

        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "admin-signing-key")));
        // Created by the start-up migration, before the first request.
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "adminapi.db")));
    }

    [Fact]
    public async Task Host_ExistingWorldReadableDataDirectory_DatabaseAndItsWalAndShmAreOwnerOnly()
    {
        // docs/security.md rule 26 (finding 10): whatever the folder's mode, the data files are 0600.
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes.");
            return;
        }

        var directory = Directory.CreateTempSubdirectory("p2p-adminapi-open-").FullName;
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_111_111);
        try
        {
            using (var factory = new AdminApiFactory(kestrel: false, dataDirectory: directory))
            {
                using var client = factory.CreateClient();
                using var bootstrap = await client.PostAsJsonAsync(
                    "/admin/users/", new { username = "owner", password = "an owner-only passphrase" }, TestContext.Current.CancellationToken);
                Assert.Equal(System.Net.HttpStatusCode.Created, bootstrap.StatusCode);

                var database = Path.Combine(directory, "adminapi.db");
                var files = new[] { database, database + "-wal", database + "-shm", Path.Combine(directory, "admin-signing-key") };
                Assert.True(File.Exists(database + "-wal"), "EF Core creates SQLite databases in WAL mode");
                foreach (var file in files.Where(File.Exists))
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
