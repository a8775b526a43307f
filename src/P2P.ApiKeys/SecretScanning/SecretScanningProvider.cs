namespace P2P.ApiKeys.SecretScanning;

/// <summary>Which scanner sent a report: names its endpoints, its rate-limit partition, its metric tag and its audit actor.</summary>
internal enum SecretScanningProvider
{
    GitHub = 0,
    GitLab = 1,
}

internal static class SecretScanningProviderNames
{
    public static string Name(this SecretScanningProvider provider) => provider == SecretScanningProvider.GitHub ? "github" : "gitlab";
}
