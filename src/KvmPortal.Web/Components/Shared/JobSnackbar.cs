using KvmPortal.Web.Jobs;
using KvmPortal.Web.Resources;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace KvmPortal.Web.Components.Shared;

/// <summary>Tells the user a job started and where to follow it (the job center).</summary>
public static class JobSnackbar
{
    public static void Started(ISnackbar snackbar, IStringLocalizer<Strings> text, NavigationManager navigation, JobView job) =>
        snackbar.Add(text["JobStarted", text[JobKinds.TextKey(job.Kind)], job.Subject], Severity.Info, options =>
        {
            options.Action = text["JobsOpen"];
            options.OnClick = _ =>
            {
                navigation.NavigateTo("jobs");
                return Task.CompletedTask;
            };
        });
}
