namespace KvmPortal.Libvirt.Tests;

/// <summary>virDomainGetJobInfo and virDomainAbortJob on a tiny kvmportal-test-* domain of qemu:///system.</summary>
[Collection(QemuSystemCollection.Name)]
public sealed class QemuJobBindingTests
{
    [Fact]
    public void A_running_domain_without_a_job_reports_none_and_refuses_an_abort_and_a_shut_off_one_has_no_job_info()
    {
        using var connection = QemuSystem.Open();
        using var domain = connection.DefineDomain(DomainXml.TinyQemu(DomainXml.UniqueName("kvmportal-test-job-")));
        try
        {
            var inactive = Assert.Throws<LibvirtException>(() => domain.GetJobInfo());
            Assert.Equal(ErrorCode.OperationInvalid, inactive.ErrorCode);

            domain.Create();
            var job = domain.GetJobInfo();
            Assert.Equal(DomainJobType.None, job.Type);
            Assert.Equal(0UL, job.DataTotalBytes);

            var abort = Assert.Throws<LibvirtException>(domain.AbortJob);
            Assert.Equal(ErrorCode.OperationInvalid, abort.ErrorCode);
            Assert.Contains("no job", abort.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            if (domain.IsActive) domain.Destroy();
            domain.Undefine();
        }
    }
}
