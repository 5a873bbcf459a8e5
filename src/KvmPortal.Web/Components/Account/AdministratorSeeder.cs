using System.Security.Cryptography;
using KvmPortal.Web.Data;
using KvmPortal.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Components.Account;

/// <summary>Creates the first administrator when there are no users, so a fresh install can be logged into.</summary>
internal sealed class AdministratorSeeder(
    IServiceScopeFactory scopeFactory,
    IOptions<KvmPortalOptions> options,
    ILogger<AdministratorSeeder> logger) : IHostedService
{
    public const string AdministratorRole = "Administrator";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();

        if (!await roles.RoleExistsAsync(AdministratorRole))
            Check(await roles.CreateAsync(new IdentityRole(AdministratorRole)), "create the Administrator role");

        if (users.Users.Any())
            return;

        var userName = options.Value.AdminUserName;
        var configured = options.Value.AdminPassword;
        var password = string.IsNullOrEmpty(configured) ? GeneratePassword() : configured;
        var admin = new KvmPortalUser { UserName = userName };
        Check(await users.CreateAsync(admin, password), $"create the administrator '{userName}'");
        Check(await users.AddToRoleAsync(admin, AdministratorRole), $"make '{userName}' an administrator");

        if (string.IsNullOrEmpty(configured))
        {
            // Printed to the console on purpose (not only logged): it is the one chance to read it.
            Console.WriteLine();
            Console.WriteLine(new string('=', 78));
            Console.WriteLine($"KvmPortal: created administrator '{userName}' with password: {password}");
            Console.WriteLine("Write it down: it is not shown again.");
            Console.WriteLine(new string('=', 78));
            Console.WriteLine();
        }
        logger.LogInformation("Created administrator {UserName}", userName);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>24 characters with at least one lower, upper, digit and symbol, so Identity's rules accept it.</summary>
    internal static string GeneratePassword()
    {
        const string lower = "abcdefghijkmnopqrstuvwxyz", upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", digits = "23456789", symbols = "!#%*+-=?@^_";
        const string all = lower + upper + digits + symbols;
        var chars = new List<char>
        {
            lower[RandomNumberGenerator.GetInt32(lower.Length)],
            upper[RandomNumberGenerator.GetInt32(upper.Length)],
            digits[RandomNumberGenerator.GetInt32(digits.Length)],
            symbols[RandomNumberGenerator.GetInt32(symbols.Length)],
        };
        while (chars.Count < 24)
            chars.Add(all[RandomNumberGenerator.GetInt32(all.Length)]);
        // Shuffle so the guaranteed classes are not always first.
        var shuffled = chars.ToArray();
        RandomNumberGenerator.Shuffle(shuffled.AsSpan());
        return new string(shuffled);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException(
                $"KvmPortal could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
    }
}
