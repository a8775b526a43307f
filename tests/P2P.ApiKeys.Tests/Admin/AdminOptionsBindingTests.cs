using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary><see cref="AdminOptions"/> grouped as IdentityOptions and bound from configuration sections.</summary>
public sealed class AdminOptionsBindingTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(new TestEnvironment());
        services.AddApiKeyAuth().AddInMemoryStores().AddAdminEndpoints(configuration.GetSection("Admin"));
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddAdminEndpoints_ConfigurationSections_BindEveryGroup()
    {
        using var services = Build(new()
        {
            ["Admin:Token:SigningKey"] = AdminTestHost.SigningKey,
            ["Admin:Token:Lifetime"] = "00:05:00",
            ["Admin:Password:MinLength"] = "15",
            ["Admin:Lockout:Threshold"] = "3",
            ["Admin:Endpoints:TokenPermitLimit"] = "20",
        });

        var options = services.GetRequiredService<IOptions<AdminOptions>>().Value;

        Assert.Equal(AdminTestHost.SigningKey, options.Token.SigningKey);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Token.Lifetime);
        Assert.Equal(15, options.Password.MinLength);
        Assert.Equal(3, options.Lockout.Threshold);
        Assert.Equal(20, options.Endpoints.TokenPermitLimit);
    }

    [Fact]
    public void AddAdminEndpoints_InvalidSectionValue_FailsValidationNamingTheGroupedSetting()
    {
        using var services = Build(new()
        {
            ["Admin:Token:SigningKey"] = AdminTestHost.SigningKey,
            ["Admin:Lockout:Threshold"] = "0",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AdminOptions>>().Value);

        Assert.Contains("AdminOptions.Lockout.Threshold must be between 1 and 100.", error.Failures);
    }

    private sealed class TestEnvironment : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";

        public string ApplicationName { get; set; } = "tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
