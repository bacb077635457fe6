using LinkFunctions.Notifications;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LinkFunctions.Tests.Notifications;

/// <summary>Records the immediate-delivery requests instead of acting on them, so a test drains when it chooses.</summary>
public sealed class ManualDeliveryTrigger : IDeliveryTrigger
{
    public List<string> Triggered { get; } = [];

    public void Trigger(string partition)
    {
        lock (Triggered)
        {
            Triggered.Add(partition);
        }
    }
}

/// <summary>
/// The whole app with <c>Linking__NotifyUrl</c> pointing at a loopback receiver, a Cosmos fault injector, and a clock the
/// test moves. The timer's work is <see cref="DrainAsync"/>; immediate delivery is off unless a test turns it on.
/// Each test has a database of its own: a drain takes every user's pending entries, and must not deliver another
/// test's to this test's receiver.
/// </summary>
public abstract class NotificationAppTest(CosmosFixture cosmos) : IAsyncLifetime
{
    private readonly string databaseName = $"test-notify-{Guid.NewGuid():N}";

    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    protected FaultInjectionHandler Faults { get; } = new();

    protected NotifyReceiver Receiver { get; private set; } = null!;

    protected LineFake Line { get; private set; } = null!;

    protected TestApp App { get; private set; } = null!;

    protected CosmosFixture Cosmos => cosmos;

    /// <summary>True: the app's own background attempt after each change runs, as in production.</summary>
    protected virtual bool ImmediateDelivery => false;

    public async Task InitializeAsync()
    {
        Receiver = await NotifyReceiver.StartAsync();
        Line = await LineFake.StartAsync();
        App = await TestApp.StartAsync(
            cosmos,
            Line,
            settings =>
            {
                settings["Cosmos:DatabaseName"] = databaseName;
                settings["Cosmos:CreateIfNotExists"] = "true";
                settings["Linking:NotifyUrl"] = Receiver.Url.ToString();
                settings["Linking:NotifySecret"] = NotifyReceiver.Secret;
                ConfigureSettings(settings);
            },
            services =>
            {
                services.AddSingleton<TimeProvider>(Time);
                Faults.InstallIn(services, cosmos.ConnectionString);
                if (!ImmediateDelivery)
                {
                    services.AddSingleton<IDeliveryTrigger, ManualDeliveryTrigger>();
                }

                ConfigureServices(services);
            });
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Line.DisposeAsync();
        await Receiver.DisposeAsync();
        try
        {
            await cosmos.Client.GetDatabase(databaseName).DeleteAsync();
        }
        catch (Microsoft.Azure.Cosmos.CosmosException)
        {
            // Best effort, as the fixture's own: the local server's data dies with the process.
        }
    }

    protected virtual void ConfigureSettings(Dictionary<string, string?> settings)
    {
    }

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>What the timer does each minute.</summary>
    protected Task<int> DrainAsync() => App.Get<OutboxDrainer>().DrainAsync(default);

    /// <summary>Every notification the receiver accepted, each checked against its signature and header first.</summary>
    protected IReadOnlyList<ReceivedNotification> Verified()
    {
        var accepted = Receiver.Accepted;
        Assert.All(accepted, n =>
        {
            Assert.True(n.SignedWith(NotifyReceiver.Secret), $"bad signature on {n.Text}");
            Assert.Equal(n.Json.GetProperty("id").GetString(), n.EventId);
        });
        return accepted;
    }
}
