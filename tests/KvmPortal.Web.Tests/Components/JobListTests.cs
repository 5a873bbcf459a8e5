using Bunit;
using KvmPortal.Web.Components.Layout;
using KvmPortal.Web.Components.Pages.Jobs;
using KvmPortal.Web.Jobs;
using KvmPortal.Web.Tests.Fakes;

namespace KvmPortal.Web.Tests.Components;

public sealed class JobListTests : BunitHarness
{
    [Fact]
    public void The_list_shows_each_jobs_progress_result_and_error_and_follows_changes_live()
    {
        var clone = FakeJobCenter.Job(JobKinds.VmClone, "web1 → web2", JobState.Running, new JobProgress(1UL << 30, 4UL << 30, "vda (1/2)"));
        var failed = FakeJobCenter.Job(JobKinds.VolumeCopy, "images/a → images/b", JobState.Failed, error: "Copy volume a: the pool is full.");
        Jobs.Add(clone);
        Jobs.Add(failed);
        Jobs.Add(FakeJobCenter.Job(JobKinds.PoolBuild, "theirs", JobState.Running, owner: "other-user"));

        var page = Context.Render<JobsPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=job-row]").Count));
        var row = page.Find($"[data-testid=job-row][data-subject='web1 → web2']");
        Assert.Equal("Running", row.GetAttribute("data-state"));
        Assert.Contains("Clone VM", row.TextContent);
        Assert.Contains("vda (1/2) · 1 GiB of 4 GiB (25%)", row.QuerySelector("[data-testid=job-bytes]")!.TextContent);
        Assert.Matches(@"^1:1\d$", row.QuerySelector("[data-testid=job-elapsed]")!.TextContent.Trim());
        Assert.Contains("the pool is full", page.Find("[data-testid=job-row][data-state=Failed] [data-testid=job-error]").TextContent);
        Assert.DoesNotContain("theirs", page.Markup);
        Assert.DoesNotContain("Started by", page.Markup);

        Jobs.Push(clone with { Progress = new JobProgress(3UL << 30, 4UL << 30, "vdb (2/2)") });
        page.WaitForAssertion(() => Assert.Contains("vdb (2/2) · 3 GiB of 4 GiB (75%)", page.Find("[data-testid=job-row][data-subject='web1 → web2']").TextContent));

        Jobs.Push(clone with { State = JobState.Succeeded, FinishedAt = DateTimeOffset.UtcNow, ResultLink = "vms/a/b" });
        page.WaitForAssertion(() => Assert.Equal("Succeeded", page.Find("[data-testid=job-row][data-subject='web1 → web2']").GetAttribute("data-state")));
        Assert.Equal("vms/a/b", page.Find("[data-testid=job-row][data-subject='web1 → web2'] [data-testid=job-result]").GetAttribute("href"));

        var upload = FakeJobCenter.Job(JobKinds.VolumeUpload, "images/new.iso", JobState.Running, new JobProgress(0, 1 << 20));
        Jobs.Push(upload);
        page.WaitForAssertion(() => Assert.Equal("images/new.iso", page.FindAll("[data-testid=job-row]")[0].GetAttribute("data-subject")));
    }

    [Fact]
    public void Cancel_asks_the_job_center_and_shows_the_job_cancelling_and_an_ended_job_cannot_be_cancelled()
    {
        var upload = FakeJobCenter.Job(JobKinds.VolumeUpload, "images/big.iso", JobState.Running, new JobProgress(5, 10));
        var copy = FakeJobCenter.Job(JobKinds.VolumeCopy, "images/a → images/b", JobState.Running) with { StartedAt = DateTimeOffset.UtcNow.AddHours(-1) };
        Jobs.Add(upload);
        Jobs.Add(copy);
        var page = Context.Render<JobsPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=job-cancel]").Count));

        page.Find("[data-testid=job-row][data-subject='images/big.iso'] [data-testid=job-cancel]").Click();

        Assert.Equal(upload.Id, Assert.Single(Jobs.Cancelled));
        page.WaitForAssertion(() => Assert.True(page.Find("[data-testid=job-row][data-subject='images/big.iso'] [data-testid=job-cancel]").HasAttribute("disabled")));
        Assert.Contains("Cancelling", page.Find("[data-testid=job-row][data-subject='images/big.iso'] [data-testid=job-cancel]").TextContent);

        Jobs.Add(copy with { State = JobState.Succeeded }); // ended meanwhile; the list has not heard yet
        page.Find("[data-testid=job-row][data-subject='images/a → images/b'] [data-testid=job-cancel]").Click();
        page.WaitForAssertion(() => Assert.Contains("has ended or cannot be cancelled", page.Find("[data-testid=jobs-error]").TextContent));
        Assert.Single(Jobs.Cancelled);
    }

    [Fact]
    public void An_administrator_sees_everyones_jobs_with_their_owners_and_an_empty_list_says_so()
    {
        var empty = Context.Render<JobsPage>();
        empty.WaitForAssertion(() => empty.Find("[data-testid=jobs-empty]"));

        Jobs.Everyone = true;
        Jobs.Add(FakeJobCenter.Job(JobKinds.VmSnapshot, "db1: nightly", JobState.Interrupted, owner: "bob"));
        var page = Context.Render<JobsPage>();

        page.WaitForAssertion(() => Assert.Contains("bob", page.Find("[data-testid=job-row]").TextContent));
        Assert.Contains("Started by", page.Markup);
        Assert.Contains("Interrupted", page.Find("[data-testid=job-state]").TextContent);
        Assert.Contains("The dashboard stopped while this job ran", page.Markup);
        Assert.Empty(page.FindAll("[data-testid=job-cancel]"));
    }

    [Fact]
    public void The_badge_counts_the_users_own_running_jobs_live()
    {
        var mine = FakeJobCenter.Job(JobKinds.VmClone, "web1 → web2", JobState.Running);
        Jobs.Add(mine);
        Jobs.Add(FakeJobCenter.Job(JobKinds.VmClone, "old", JobState.Succeeded));
        Jobs.Add(FakeJobCenter.Job(JobKinds.VmClone, "theirs", JobState.Running, owner: "other-user"));

        var badge = Context.Render<JobBadge>();

        badge.WaitForAssertion(() => Assert.Equal("1", badge.Find("[data-testid=job-badge]").GetAttribute("data-running")));
        Assert.Equal("jobs", badge.Find("[data-testid=job-badge-link]").GetAttribute("href"));

        Jobs.Push(FakeJobCenter.Job(JobKinds.VolumeCopy, "a → b", JobState.Running));
        badge.WaitForAssertion(() => Assert.Equal("2", badge.Find("[data-testid=job-badge]").GetAttribute("data-running")));

        Jobs.Push(mine with { State = JobState.Failed, FinishedAt = DateTimeOffset.UtcNow });
        badge.WaitForAssertion(() => Assert.Equal("1", badge.Find("[data-testid=job-badge]").GetAttribute("data-running")));
    }
}
