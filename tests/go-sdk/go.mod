module scpfm.dev/gosdktest

go 1.22.5

require github.com/SamsungSDSCloud/terraform-sdk-samsungcloudplatformv2 v1.0.2

// SCP's official Go SDK, unchanged, from the shared reference beside the project.
replace github.com/SamsungSDSCloud/terraform-sdk-samsungcloudplatformv2 => ../../../shared/reference/scp-go-sdk
