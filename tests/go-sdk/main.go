// Command gosdktest drives SCP's official Go SDK (terraform-sdk-samsungcloudplatformv2
// v1.0.2, unchanged) against a running scpfm: every BillingPlan operation the SDK has, decoded
// by the SDK's own models (which refuse unknown fields and read timestamps as time.Time),
// asserting on the decoded values; then the Budget service through the SDK's shared client
// code (signing, headers, the timestamp conversion) with models decoded the same strict way.
//
// Environment: SCPFM_ENDPOINT, SCP_ACCESS_KEY, SCP_SECRET_KEY, SCP_ACCOUNT_ID. Exits 1 on the
// first failed check, naming it; prints "go sdk: … succeeded" at the end.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	scpsdk "github.com/SamsungSDSCloud/terraform-sdk-samsungcloudplatformv2/client"
	"github.com/SamsungSDSCloud/terraform-sdk-samsungcloudplatformv2/library/billing"
)

func check(condition bool, format string, args ...any) {
	if !condition {
		fmt.Fprintf(os.Stderr, "FAILED: "+format+"\n", args...)
		os.Exit(1)
	}
}

func must[T any](value T, response *http.Response, err error) T {
	if err != nil {
		body := ""
		if response != nil {
			raw, _ := io.ReadAll(response.Body)
			body = string(raw)
		}
		fmt.Fprintf(os.Stderr, "FAILED: %v %s\n", err, body)
		os.Exit(1)
	}
	return value
}

func ptr[T any](value T) *T { return &value }

func config() *scpsdk.Configuration {
	return &scpsdk.Configuration{
		Endpoint:  os.Getenv("SCPFM_ENDPOINT"),
		AccountId: os.Getenv("SCP_ACCOUNT_ID"),
		Credentials: &scpsdk.Credentials{
			AccessKey: os.Getenv("SCP_ACCESS_KEY"),
			SecretKey: os.Getenv("SCP_SECRET_KEY"),
		},
	}
}

func main() {
	billingPlan()
	budgets()
	fmt.Println("go sdk: discovery, create, show, list with every filter, every change action, cancellation fee, covered instances and the budget wire rules succeeded")
}

func billingPlan() {
	ctx := context.Background()
	api := billing.NewAPIClient(config()).BillingplanV1PlannedComputeApiAPI
	accountID := os.Getenv("SCP_ACCOUNT_ID")
	started := time.Now().Add(-time.Minute)

	// Discovery.
	services := must(api.ListPlannedComputeServiceTypes(ctx).Execute())
	found := false
	for _, service := range services.Services {
		if service.ServiceId.Get() != nil && *service.ServiceId.Get() == "VIRTUAL_SERVER" {
			found = *service.DisplayName.Get() != ""
		}
	}
	check(found, "service types list VIRTUAL_SERVER with its name")
	servers := must(api.ListPlannedComputeServerTypes(ctx).ServiceId("VIRTUAL_SERVER").CurrentServerType("s1v2m4").Execute())
	scaleUp := map[string]bool{}
	for _, server := range servers.ServerTypes {
		scaleUp[*server.ServerType.Get()] = server.ScaleUpYn != nil && *server.ScaleUpYn
	}
	check(scaleUp["s1v4m8"] && !scaleUp["s1v1m2"], "server types mark the scale-ups of s1v2m4: %v", scaleUp)
	osTypes := must(api.ListOsTypes(ctx).ServiceId("VIRTUAL_SERVER").Execute())
	check(len(osTypes.OsTypes) >= 2 && *osTypes.OsTypes[0].OsTypeId.Get() != "", "os types")
	contracts := must(api.ListContractTypes(ctx).ServiceId("VIRTUAL_SERVER").ServerType("s1v2m4").Execute())
	codes := []string{}
	for _, contract := range contracts.ContractTypes {
		codes = append(codes, *contract.Code.Get())
	}
	check(strings.Join(codes, ",") == "01,03,05", "contract types 01,03,05: %v", codes)

	// Create (two contracts: one to change, one to cancel).
	create := func(serverType string) billing.PlannedComputeDTO {
		request := billing.NewPlannedComputeCreateRequest(accountID, serverType, "VIRTUAL_SERVER")
		request.SetContractType(billing.PLANNEDCOMPUTECONTRACTENUM__01)
		request.SetOsType(billing.PLANNEDCOMPUTEOSTYPEENUM_OPEN_SOURCE)
		request.SetTag([]billing.TagDTO{{Key: ptr("team"), Value: ptr("go-sdk")}})
		created := must(api.CreatePlannedComputes(ctx).PlannedComputeCreateRequest(*request).Execute())
		return created.PlannedCompute
	}
	first := create("s1v2m4")
	check(first.Id.Get() != nil && len(*first.Id.Get()) == 32, "create: an id")
	check(*first.State == "ACTIVE" && *first.ContractType == "1-year" && *first.ServerType == "s1v2m4", "create: state, term (%v), type", *first.ContractType)
	check(*first.OsType == "OPEN_SOURCE" && *first.AccountId == accountID, "create: os and account")
	check(first.CreatedAt != nil && first.CreatedAt.After(started.Add(-10*time.Hour)), "create: created_at decodes as a time: %v", first.CreatedAt)
	check(first.ContractId.Get() != nil && strings.HasPrefix(*first.ContractId.Get(), "C"), "create: contract id")
	id := *first.Id.Get()
	second := create("s1v2m4")
	secondID := *second.Id.Get()

	// Show.
	shown := must(api.ShowPlannedCompute(ctx, id).Execute()).PlannedCompute
	check(*shown.Id.Get() == id && *shown.ContractId.Get() == *first.ContractId.Get(), "show")
	check(shown.ModifiedAt != nil && !shown.ModifiedAt.IsZero(), "show: modified_at decodes")

	// List with each filter.
	listPage := func(name string, request billing.BillingplanV1PlannedComputeApiAPIListPlannedComputesRequest, wantListed int, wantTotal int) {
		page := must(request.Execute())
		check(page.TotalCount != nil && page.CurrentPage != nil && page.TotalPages != nil, "list by %s: page fields", name)
		check(len(page.PlannedComputes) == wantListed && int(*page.TotalCount) == wantTotal,
			"list by %s: %d listed, total %d, want %d of %d", name, len(page.PlannedComputes), *page.TotalCount, wantListed, wantTotal)
	}
	listed := func(name string, request billing.BillingplanV1PlannedComputeApiAPIListPlannedComputesRequest, want int) {
		listPage(name, request, want, want)
	}
	today := time.Now().Format("2006-01-02")
	listed("nothing", api.ListPlannedComputes(ctx), 2)
	listPage("limit+page", api.ListPlannedComputes(ctx).Limit(1).Page(2), 1, 2)
	listed("a huge limit", api.ListPlannedComputes(ctx).Limit(2147483647), 2)
	listed("service_id", api.ListPlannedComputes(ctx).ServiceId([]*string{ptr("VIRTUAL_SERVER")}), 2)
	listed("another service_id", api.ListPlannedComputes(ctx).ServiceId([]*string{ptr("GPU_SERVER")}), 0)
	listed("state", api.ListPlannedComputes(ctx).State([]*string{ptr("ACTIVE")}), 2)
	listed("os_type", api.ListPlannedComputes(ctx).OsType([]*string{ptr("OPEN_SOURCE")}), 2)
	listed("contract_type", api.ListPlannedComputes(ctx).ContractType([]*string{ptr("01")}), 2)
	listed("server_type", api.ListPlannedComputes(ctx).ServerType("s1v2m4"), 2)
	listed("contract_id", api.ListPlannedComputes(ctx).ContractId(*first.ContractId.Get()), 1)
	listed("created_by", api.ListPlannedComputes(ctx).CreatedBy(*first.CreatedBy.Get()), 2)
	listed("modified_by", api.ListPlannedComputes(ctx).ModifiedBy(*first.ModifiedBy.Get()), 2)
	// In force on some day of the window: contracts start the KST day after they are ordered.
	nextWeek := time.Now().AddDate(0, 0, 7).Format("2006-01-02")
	listed("dates", api.ListPlannedComputes(ctx).StartDate(today).EndDate(nextWeek), 2)
	listed("past dates", api.ListPlannedComputes(ctx).StartDate("2020-01-01").EndDate("2020-01-31"), 0)
	listed("sort", api.ListPlannedComputes(ctx).Sort("created_at:desc"), 2)

	// Every change action.
	change := func(plannedComputeID string, action billing.PlannedComputeChangeActionEnum, contractType string, serverType string) billing.PlannedComputeDTO {
		request := billing.NewPlannedComputeChangeRequest()
		request.SetAction(action)
		if contractType != "" {
			request.SetContractType(billing.PlannedComputeContractEnum(contractType))
		}
		if serverType != "" {
			request.SetServerType(serverType)
		}
		return must(api.UpdatePlannedCompute(ctx, plannedComputeID).PlannedComputeChangeRequest(*request).Execute()).PlannedCompute
	}
	applied := change(id, billing.PLANNEDCOMPUTECHANGEACTIONENUM_EXTEND_APPLY, "03", "")
	check(applied.NextContractType.Get() != nil && applied.NextStartDate.Get() != nil, "EXTEND_APPLY sets the renewal")
	listed("next_contract_type", api.ListPlannedComputes(ctx).NextContractType([]*string{ptr("03")}), 1)
	changed := change(id, billing.PLANNEDCOMPUTECHANGEACTIONENUM_EXTEND_CHANGE, "05", "")
	check(changed.NextContractType.Get() != nil && *changed.NextContractType.Get() != *applied.NextContractType.Get(), "EXTEND_CHANGE changes the renewal")
	cancelled := change(id, billing.PLANNEDCOMPUTECHANGEACTIONENUM_EXTEND_CANCEL, "", "")
	check(cancelled.NextContractType.Get() == nil, "EXTEND_CANCEL removes the renewal")
	scaled := change(id, billing.PLANNEDCOMPUTECHANGEACTIONENUM_SERVER_TYPE_CHANGE, "", "s1v4m8")
	check(*scaled.ServerType == "s1v4m8", "SERVER_TYPE_CHANGE scales up: %v", *scaled.ServerType)

	// The cancellation fee quote, then the cancellation.
	feeRequest := billing.NewCancellationFeeRequest()
	feeRequest.SetPlannedComputeId([]string{secondID})
	feeRequest.SetRegion("kr-west1")
	fee := must(api.ShowCancellationFee(ctx).CancellationFeeRequest(*feeRequest).Execute())
	check(fee.CancellationFee != nil && fee.CancellationFee.Krw != nil && fee.CancellationFee.Usd != nil, "cancellation fee: an Amount")
	check(fee.BillYearMonth != nil && len(*fee.BillYearMonth) == 7, "cancellation fee: bill_year_month")
	check(fee.SameDayCancel != nil && *fee.SameDayCancel && *fee.CancellationFee.Krw == "0.000", "cancelled the day it was ordered: no fee (%v)", *fee.CancellationFee.Krw)
	terminated := change(secondID, billing.PLANNEDCOMPUTECHANGEACTIONENUM_CONTRACT_CANCEL, "", "")
	check(*terminated.State != "ACTIVE", "CONTRACT_CANCEL ends the contract: %v", *terminated.State)
	listed("state after cancel", api.ListPlannedComputes(ctx).State([]*string{ptr("ACTIVE")}), 1)

	// A refused change answers the error envelope, which the SDK reports.
	refused := billing.NewPlannedComputeChangeRequest()
	refused.SetAction(billing.PLANNEDCOMPUTECHANGEACTIONENUM_EXTEND_APPLY)
	refused.SetContractType(billing.PLANNEDCOMPUTECONTRACTENUM__03)
	_, response, err := api.UpdatePlannedCompute(ctx, secondID).PlannedComputeChangeRequest(*refused).Execute()
	check(err != nil && response != nil && response.StatusCode == 409, "a change of a terminated contract is a 409")

	// Covered instances, with the five filters the seeds require.
	month := time.Now().AddDate(0, 0, 30).Format("2006-01-02")
	report := must(api.ListPlannedComputeInstances(ctx).ServiceId("VIRTUAL_SERVER").OsType("OPEN_SOURCE").
		ServerType("s1v4m8").StartDate(today).EndDate(month).Sort("used_time:desc").Execute())
	check(report.OrderCount != nil && *report.OrderCount == 1, "instances: the scaled contract counts: %v", report.OrderCount)
	check(report.Amount != nil && report.Amount.Total.Get() != nil && report.Amount.Total.Get().Krw != nil, "instances: amounts")
	check(len(report.Coverages) >= 1 && report.Coverages[0].NonAppliedAmount.Get() != nil, "instances: idle hours of the contract")
	check(report.Os != nil && *report.Os.OsTypeId.Get() == "OPEN_SOURCE" && *report.Service.ServiceId.Get() == "VIRTUAL_SERVER", "instances: os and service")
	_, response, err = api.ListPlannedComputeInstances(ctx).Execute()
	check(err != nil && response != nil && response.StatusCode == 400, "instances without their filters: a 400")
}

// Budget models as SCP's seeds define them (the budget packages of later SDK versions are not
// published): decoded like the SDK decodes its own, refusing unknown fields, timestamps as
// time.Time after the SDK's conversion.
type budgetShowDetail struct {
	Amount     int64     `json:"amount"`
	CreatedAt  time.Time `json:"created_at"`
	CreatedBy  string    `json:"created_by"`
	ID         string    `json:"id"`
	ModifiedAt time.Time `json:"modified_at"`
	ModifiedBy string    `json:"modified_by"`
	Name       string    `json:"name"`
	StartMonth string    `json:"start_month"`
	Type       string    `json:"type"`
	Unit       string    `json:"unit"`
}

type notificationSetting struct {
	IsUseNotification      bool     `json:"is_use_notification"`
	NotificationSendPeriod string   `json:"notification_send_period"`
	Receivers              []string `json:"receivers"`
	Thresholds             []int    `json:"thresholds"`
}

type preventionSetting struct {
	IsUseprevention bool     `json:"is_use_prevention"`
	Receivers       []string `json:"receivers"`
	Threshold       int      `json:"threshold"`
}

type budgetShowResponse struct {
	Budget        budgetShowDetail    `json:"budget"`
	Notifications notificationSetting `json:"notifications"`
	Prevention    preventionSetting   `json:"prevention"`
}

type budgetPage struct {
	Budgets []budgetShowDetail `json:"budgets"`
	Count   int                `json:"count"`
	Page    int                `json:"page"`
	Size    int                `json:"size"`
	Sort    []string           `json:"sort"`
}

// call sends a request signed by the SDK's own configuration and decodes the answer the way
// the SDK does: as sent, else after its timestamp conversion; unknown fields refused.
func call(method string, path string, body any, want int, into any) {
	cfg := config()
	url := cfg.Endpoint + path
	var reader io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		reader = bytes.NewReader(raw)
	}
	request, err := http.NewRequest(method, url, reader)
	check(err == nil, "request %s %s: %v", method, path, err)
	request.Header.Set("Content-Type", "application/json")
	base := strings.SplitN(url, "?", 2)[0]
	cfg.SetupRequestHeader(base, method, request)
	response, err := http.DefaultClient.Do(request)
	check(err == nil, "%s %s: %v", method, path, err)
	defer response.Body.Close()
	raw, _ := io.ReadAll(response.Body)
	check(response.StatusCode == want, "%s %s: %d, want %d: %s", method, path, response.StatusCode, want, raw)
	if into == nil {
		return
	}
	decode := func(data []byte) error {
		decoder := json.NewDecoder(bytes.NewReader(data))
		decoder.DisallowUnknownFields()
		return decoder.Decode(into)
	}
	if decode(raw) != nil {
		converted, err := scpsdk.ConvertTimestampsToUTC(raw)
		check(err == nil, "%s %s: timestamp conversion: %v", method, path, err)
		err = decode(converted)
		check(err == nil, "%s %s: decoding %T: %v\n%s", method, path, into, err, raw)
	}
}

func budgets() {
	var created budgetShowResponse
	call("POST", "/v1/budgets/account", map[string]any{
		"name": "go sdk", "unit": "MONTHLY", "start_month": "2026-12", "amount": 500000,
		"notifications": map[string]any{"receivers": []string{"go@example.com"}, "thresholds": []int{80, 100}},
	}, 201, &created)
	check(created.Budget.Name == "go sdk" && created.Budget.Amount == 500000, "budget create")
	check(!created.Budget.CreatedAt.IsZero() && !created.Budget.ModifiedAt.IsZero(), "budget timestamps decode")
	check(created.Notifications.IsUseNotification && !created.Prevention.IsUseprevention, "budget settings")
	var shown budgetShowResponse
	call("GET", "/v1/budgets/account/"+created.Budget.ID, nil, 201, &shown)
	check(shown.Budget.ID == created.Budget.ID && shown.Budget.CreatedAt.Equal(created.Budget.CreatedAt), "budget show")
	var page budgetPage
	// SCP's Terraform provider asks for every budget at once.
	call("GET", "/v1/budgets/account?size=2147483647&page=0", nil, 200, &page)
	check(page.Count == 1 && len(page.Budgets) == 1 && page.Size == 1000, "budget list of everything: count %d, %d listed, size %d", page.Count, len(page.Budgets), page.Size)
	var set budgetShowResponse
	call("PUT", "/v1/budgets/account/"+created.Budget.ID, map[string]any{
		"name": "go sdk", "unit": "OVERALL", "start_month": "2026-12", "amount": 700000,
	}, 200, &set)
	check(set.Budget.Unit == "OVERALL" && set.Budget.Amount == 700000 && set.Notifications.IsUseNotification, "budget set keeps settings")
	call("GET", "/v1/budgets/account?size=0", nil, 400, nil)
	call("DELETE", "/v1/budgets/account/"+created.Budget.ID, nil, 204, nil)
}
