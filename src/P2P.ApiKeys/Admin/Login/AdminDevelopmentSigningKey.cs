using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.Admin.Login;

/// <summary>
/// In Development only, replaces a missing or short signing key with a random one so that a local run needs no
/// setup. Any other environment keeps the setting as configured and the validator stops start-up.
/// </summary>
internal sealed class AdminDevelopmentSigningKey(IHostEnvironment environment, ILogger<AdminDevelopmentSigningKey> logger)
    : IPostConfigureOptions<AdminOptions>
{
    public void PostConfigure(string? name, AdminOptions options)
    {
        if (!environment.IsDevelopment() || AdminSigningKey.Decode(options.Token.SigningKey) is not null)
        {
            return;
        }

        options.Token.SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(AdminTokenOptions.MinSigningKeyBytes));
        AdminLog.EphemeralSigningKey(logger);
    }
}
