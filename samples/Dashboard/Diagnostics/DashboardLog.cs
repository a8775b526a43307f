using P2P.Dashboard.Configuration;

namespace P2P.Dashboard.Diagnostics;

/// <summary>Every log line of the dashboard; event ids 9000–9099 (samples and tools: 9000–9999). None takes the key; at most its public part.</summary>
public static partial class DashboardLog
{
    [LoggerMessage(9001, LogLevel.Information, "Dashboard reads {ApiBaseUrl} with key {KeyPublicPart} (status {KeyStatus}); .env file: {EnvFile}", EventName = "SettingsLoaded")]
    public static partial void SettingsLoaded(ILogger logger, Uri apiBaseUrl, string keyPublicPart, ApiKeyStatus keyStatus, string envFile);

    [LoggerMessage(9002, LogLevel.Warning, "Cannot reach the P2P API at {ApiBaseUrl} for {Path}: {Error}", EventName = "ApiUnreachable")]
    public static partial void ApiUnreachable(ILogger logger, Uri apiBaseUrl, string path, string error);

    [LoggerMessage(9003, LogLevel.Warning, "The P2P API at {ApiBaseUrl} answered {StatusCode} for {Path}", EventName = "ApiRefused")]
    public static partial void ApiRefused(ILogger logger, Uri apiBaseUrl, string path, int statusCode);

    [LoggerMessage(9004, LogLevel.Error, "The P2P API at {ApiBaseUrl} answered {Path} with JSON the dashboard cannot read", EventName = "ApiAnswerUnreadable")]
    public static partial void ApiAnswerUnreadable(ILogger logger, Uri apiBaseUrl, string path, Exception exception);
}
