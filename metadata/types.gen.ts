// The configuration's types, generated from its metadata by `npm run types`: do not edit.
import type { Decimal } from "decimal.js";
import type {
  CatalogDefiner,
  DateText,
  DocumentDefiner,
  TypedPostingContext,
  TypedQueryApi,
} from "../server/api.ts";

export type { DateText, Decimal };

/** Виды счетов */
export type AccountKinds = "active" | "passive" | "activePassive";

/** Состояния строк выписки */
export type BankLineStatuses = "Posted" | "Unposted" | "Duplicate" | "Outgoing";

/** Виды операций списания с расчетного счета */
export type BankPaymentKinds = "ToSupplier" | "SupplierAdvance" | "OtherCounterparty" | "TaxNdfl" | "TaxVat" | "TaxProfit" | "TaxUsn" | "Insurance" | "Salary";

/** Ограничения льготы */
export type BenefitLimits = "ByPersons" | "BySocialNormOfArea" | "ByNormativeVolume";

/** Способы расчета */
export type CalculationMethods = "ByTotalArea" | "ByLivingArea" | "ByMeter" | "ByNormative" | "ByResidents" | "Fixed" | "DerivedVolume" | "HeatingByHouseMeter" | "CommonPropertyByHouseMeter" | "CommonPropertyByNormative";

/** Виды дней производственного календаря */
export type CalendarDayKinds = "Holiday" | "Shortened" | "Working";

/** Виды операций РКО */
export type CashDisbursementKinds = "ToEmployee" | "Salary" | "ToBank" | "ToSupplier" | "Other";

/** Виды операций ПКО */
export type CashReceiptKinds = "FromPersonalAccount" | "FromCounterparty" | "FromEmployee" | "FromBank" | "Other";

/** План счетов бухгалтерского учета: виды субконто */
export type ChartOfAccountsAnalytics = "Counterparties" | "PersonalAccounts" | "Buildings" | "Services" | "CostItems" | "Employees";

/** Способы распределения оплаты */
export type DistributionMethods = "OldestPeriodProportional" | "ProportionalToDebt" | "OldestFirst" | "ByServicePriority";

/** Виды приборов учета по принадлежности */
export type MeterKinds = "Individual" | "Collective";

/** Виды собственности */
export type OwnershipTypes = "Private" | "Municipal" | "State" | "SocialRent";

/** Источники оплаты */
export type PaymentSources = "Bank" | "Cash" | "Agent";

/** Способы расчета пени */
export type PenaltyModes = "Statutory" | "FixedDailyRate";

/** Типы показаний */
export type ReadingTypes = "Cumulative" | "Cyclic";

/** Причины перерасчета */
export type RecalculationReasons = "TemporaryAbsence" | "QualityBelowStandard" | "Correction" | "Other";

/** Категории заявок */
export type RequestCategories = "Emergency" | "Planned" | "Paid";

/** Приоритеты заявок */
export type RequestPriorities = "High" | "Normal" | "Low";

/** Источники заявок */
export type RequestSources = "Phone" | "Portal" | "InPerson" | "Email";

/** Статусы заявок */
export type RequestStatuses = "New" | "Accepted" | "InWork" | "Done" | "Closed" | "Postponed" | "Rejected";

/** Статусы услуг */
export type ServiceStatuses = "Connected" | "Disconnected";

/** Системы налогообложения */
export type TaxRegimes = "General" | "SimplifiedIncome" | "SimplifiedIncomeMinusExpenses";

/** Ставки НДС */
export type VatRates = "WithoutVat" | "Vat10" | "Vat20" | "Vat22";

/** Режимы учета времени */
export type WorkingTimeModes = "Calendar" | "Working";

/** Услуги */
export interface BenefitCategoriesServicesRow {
  /** Номер строки */
  line: number;
  /** Услуга (catalog.Services) */
  Service: string;
}

/** Категории льгот */
export interface BenefitCategoriesCatalog {
  id: string;
  version: number;
  deletionMark: boolean;
  code: string;
  name: string;
  /** Размер льготы, % (number(5,2)) */
  Percent: Decimal;
  /** Ограничение (enum.BenefitLimits) */
  Limit: BenefitLimits | null;
  /** Социальная норма площади на человека, м² (number(10,4)) */
  SocialNorm: Decimal | null;
  /** Основание (string(200)) */
  Act: string | null;
  /** Услуги */
  Services: BenefitCategoriesServicesRow[];
}

/** Здания */
export interface BuildingsCatalog {
  id: string;
  version: number;
  deletionMark: boolean;
  code: string;
  name: string;
  /** Адрес (string(300)) */
  Address: string;
  /** Общая площадь помещений (number(15,2)) */
  TotalArea: Decimal | null;
  /** Управляющая организация (catalog.Organizations) */
  Organization: string | null;
  /** Площадь общего имущества (number(15,2)) */
  CommonArea: Decimal | null;
  /** Площадь всех жилых и нежилых помещений (number(15,2)) */
  PremisesArea: Decimal | null;
}

/** План счетов бухгалтерского учета */
export interface ChartOfAccountsCatalog {
  id: string;
  version: number;
  deletionMark: boolean;
  code: string;
  name: string;
  parent: string | null;
  isFolder: boolean;
  /** Вид (enum.AccountKinds) */
  Kind: AccountKinds | null;
  /** Забалансовый (boolean) */
  OffBalance: boolean | null;
  /** Количественный (boolean) */
  Quantity: boolean | null;
  /** Субконто 1 (enum.ChartOfAccountsAnalytics) */
  Analytics1: ChartOfAccountsAnalytics | null;
  /** Субконто 2 (enum.ChartOfAccountsAnalytics) */
  Analytics2: ChartOfAccountsAnalytics | null;
  /** Субконто 3 (enum.ChartOfAccountsAnalytics) */
  Analytics3: ChartOfAccountsAnalytics | null;
}

/** Статьи затрат */
export interface CostItemsCatalog {
  id: string;
  version: number;
  deletionMark: boolean;
  code: string;
  name: string;
  /** Полное наименование (string(300)) */
  FullName: string | null;
}

/** Контрагенты */
export interface CounterpartiesCatalog {
  id: string;
  version: number;
  deletionMark: boolean;
  code: string;
  name: string;
  /** Полное наименование (string(300)) */
  FullName: string | null;
  /** ИНН (string(12)) */
  Inn: string | null;
  /** КПП (string(9)) */
  Kpp: string | null;
  /** Расчетный счет (string(20)) */
  BankAccount: string | null;
  /** Банк (string(150)) */
  BankName: string | null;
  /** БИК (string(9)) */
  Bik: string | null;
  /** Корреспондентский счет (string(20)) */
  CorrAccount: string | null;
  /** Адрес (string(300)) */
  Address: string | null;
  /** Телефон (string(50)) */
  Phone: string | null;
}

/** Сотрудники */
export interface EmployeesCatalog {
  id: string;
  version: number;
  deletionMark: boolean;
  code: string;
  name: string;
  /** Пользователь (логин) (string(100)) */
  User: string | null;
  /** Должность (string(100)) */
  Position: string | null;
  /** Телефон (string(30)) */
  Phone: string | null;
}

/** Виды приборов учета */
export interface MeterTypesCatalog {
  id: string;
  version: number;
  deletionMark: boolean;
  code: string;
  name: string;
  /** Единица измерения (string(20)) */
  Unit: string | null;
  /** Тип показаний (enum.ReadingTypes) */
  ReadingType: ReadingTypes;
  /** Разрядность (number(2)) */
  DigitCapacity: Decimal | null;
}

/** Приборы учета */
export interface MetersCatalog {
  id: string;
  version: number;
  deletionMark: boolean;
  code: string;
  name: string;
  /** Вид прибора учета (catalog.MeterTypes) */
  MeterType: string;
  /** Услуга (catalog.Services) */
  Service: string;
  /** Принадлежность (enum.MeterKinds) */
  Kind: MeterKinds;
  /** Лицевой счет (catalog.PersonalAccounts) */
  Account: string | null;
  /** Здание (catalog.Buildings) */
  Building: string | null;
  /** Заводской номер (string(50)) */
  SerialNumber: string | null;
  /** Дата установки (date) */
  Installed: DateText | null;
  /** Дата следующей поверки (date) */
  NextVerification: DateText | null;
}

/** Организации */
export interface OrganizationsCatalog {
  id: string;
  version: number;
  deletionMark: boolean;
  code: string;
  name: string;
  /** ИНН (string(12)) */
  Inn: string | null;
  /** КПП (string(9)) */
  Kpp: string | null;
  /** Расчетный счет (string(20)) */
  BankAccount: string | null;
  /** Банк (string(150)) */
  BankName: string | null;
  /** БИК (string(9)) */
  Bik: string | null;
  /** Корреспондентский счет (string(20)) */
  CorrAccount: string | null;
  /** Адрес (string(300)) */
  Address: string | null;
  /** Телефон (string(50)) */
  Phone: string | null;
  /** Способ распределения оплаты (enum.DistributionMethods) */
  DistributionMethod: DistributionMethods | null;
  /** Система налогообложения (enum.TaxRegimes) */
  TaxRegime: TaxRegimes | null;
}

/** Лицевые счета */
export interface PersonalAccountsCatalog {
  id: string;
  version: number;
  deletionMark: boolean;
  code: string;
  name: string;
  /** Здание (catalog.Buildings) */
  Building: string;
  /** Квартира (string(10)) */
  Apartment: string | null;
  /** Общая площадь (number(10,2)) */
  TotalArea: Decimal | null;
  /** Жилая площадь (number(10,2)) */
  LivingArea: Decimal | null;
  /** Проживающих (number(3)) */
  Residents: Decimal | null;
  /** Льготников (number(3)) */
  Beneficiaries: Decimal | null;
  /** Вид собственности (enum.OwnershipTypes) */
  OwnershipType: OwnershipTypes | null;
  /** Дата открытия (date) */
  Opened: DateText | null;
  /** Дата закрытия (date) */
  Closed: DateText | null;
}

/** Виды заявок */
export interface RequestTypesCatalog {
  id: string;
  version: number;
  deletionMark: boolean;
  code: string;
  name: string;
  /** Категория (enum.RequestCategories) */
  Category: RequestCategories;
  /** Срок реагирования (часов) (number(7,2)) */
  ResponseHours: Decimal | null;
  /** Срок выполнения (часов) (number(7,2)) */
  CompletionHours: Decimal | null;
  /** Учет времени (enum.WorkingTimeModes) */
  TimeMode: WorkingTimeModes;
  /** Начало рабочего дня (час) (number(2)) */
  WorkdayStart: Decimal | null;
  /** Конец рабочего дня (час) (number(2)) */
  WorkdayEnd: Decimal | null;
  /** Цена (number(15,2)) */
  Price: Decimal | null;
  /** Услуга для начисления (catalog.Services) */
  Service: string | null;
  /** Основание (норматив) (string(300)) */
  Basis: string | null;
}

/** Услуги-источники объема */
export interface ServicesSourceServicesRow {
  /** Номер строки */
  line: number;
  /** Услуга (catalog.Services) */
  Service: string;
}

/** Услуги */
export interface ServicesCatalog {
  id: string;
  version: number;
  deletionMark: boolean;
  code: string;
  name: string;
  /** Единица измерения (string(20)) */
  Unit: string | null;
  /** Способ расчета (enum.CalculationMethods) */
  CalculationMethod: CalculationMethods;
  /** Норматив на человека (number(15,4)) */
  Normative: Decimal | null;
  /** Повышающий коэффициент (number(5,2)) */
  RaisingFactor: Decimal | null;
  /** Норматив на СОИ на 1 м² общего имущества (number(15,4)) */
  CommonPropertyNormative: Decimal | null;
  /** Ограничивать СОИ нормативом (boolean) */
  CommonPropertyCap: boolean | null;
  /** Порядок в квитанции (number(3)) */
  ReceiptOrder: Decimal | null;
  /** Приоритет погашения (number(3)) */
  Priority: Decimal | null;
  /** Начислять пени (boolean) */
  PenaltiesApply: boolean | null;
  /** Взнос на капитальный ремонт (boolean) */
  CapitalRepair: boolean | null;
  /** Получатель платежа (catalog.Organizations) */
  Payee: string | null;
  /** Ставка НДС (enum.VatRates) */
  VatRate: VatRates | null;
  /** Услуги-источники объема */
  SourceServices: ServicesSourceServicesRow[];
}

/** Виды тарифов */
export interface TariffKindsCatalog {
  id: string;
  version: number;
  deletionMark: boolean;
  code: string;
  name: string;
}

/** Услуги */
export interface AccountServiceChangeServicesRow {
  /** Номер строки */
  line: number;
  /** Лицевой счет (catalog.PersonalAccounts) */
  Account: string;
  /** Услуга (catalog.Services) */
  Service: string;
  /** Вид тарифа (catalog.TariffKinds) */
  TariffKind: string;
  /** Дата изменения (date) */
  ChangeDate: DateText;
  /** Статус (enum.ServiceStatuses) */
  Status: ServiceStatuses;
}

/** Изменение услуг лицевых счетов */
export interface AccountServiceChangeDocument {
  id: string;
  version: number;
  deletionMark: boolean;
  number: string;
  date: DateText;
  posted: boolean;
  /** Лицевой счет (для заполнения) (catalog.PersonalAccounts) */
  Account: string | null;
  /** Услуги */
  Services: AccountServiceChangeServicesRow[];
}

/** Платежное поручение исходящее */
export interface BankPaymentDocument {
  id: string;
  version: number;
  deletionMark: boolean;
  number: string;
  date: DateText;
  posted: boolean;
  /** Организация (catalog.Organizations) */
  Organization: string;
  /** Вид операции (enum.BankPaymentKinds) */
  OperationKind: BankPaymentKinds | null;
  /** Получатель (catalog.Counterparties) */
  Recipient: string;
  /** Работник (catalog.Employees) */
  Employee: string | null;
  /** Сумма (number(15,2)) */
  Amount: Decimal;
  /** Ставка НДС (enum.VatRates) */
  VatRate: VatRates | null;
  /** Сумма НДС (number(15,2)) */
  VatAmount: Decimal | null;
  /** Назначение платежа (string(210)) */
  Purpose: string;
  /** Очередность (string(1)) */
  Priority: string | null;
}

/** Строки выписки */
export interface BankStatementLinesRow {
  /** Номер строки */
  line: number;
  /** Состояние (enum.BankLineStatuses) */
  Status: BankLineStatuses | null;
  /** Номер (string(20)) */
  BankNumber: string | null;
  /** Дата (date) */
  BankDate: DateText | null;
  /** Сумма (number(15,2)) */
  Amount: Decimal;
  /** Плательщик (string(300)) */
  Payer: string | null;
  /** Лицевой счет (catalog.PersonalAccounts) */
  Account: string | null;
  /** Период оплаты (date) */
  PaidMonth: DateText | null;
  /** Назначение платежа (string(1000)) */
  Purpose: string | null;
  /** Оплата (document.Payment) */
  Payment: string | null;
  /** Пояснение (string(300)) */
  Note: string | null;
  /** Контрагент (catalog.Counterparties) */
  Counterparty: string | null;
  /** ИНН плательщика (string(12)) */
  PayerInn: string | null;
  /** Счет плательщика (string(20)) */
  PayerAccount: string | null;
  /** Комиссия агента (number(15,2)) */
  Commission: Decimal | null;
  /** Ключ строки (string(150)) */
  LineKey: string | null;
}

/** Выписка банка */
export interface BankStatementDocument {
  id: string;
  version: number;
  deletionMark: boolean;
  number: string;
  date: DateText;
  posted: boolean;
  /** Организация (catalog.Organizations) */
  Organization: string | null;
  /** Расчетный счет (string(20)) */
  BankAccount: string | null;
  /** Период с (date) */
  PeriodStart: DateText | null;
  /** Период по (date) */
  PeriodEnd: DateText | null;
  /** Имя файла (string(255)) */
  FileName: string | null;
  /** Платежный агент (catalog.Counterparties) */
  Agent: string | null;
  /** Начальный остаток (number(15,2)) */
  OpeningBalance: Decimal | null;
  /** Поступило (number(15,2)) */
  TotalIn: Decimal | null;
  /** Списано (number(15,2)) */
  TotalOut: Decimal | null;
  /** Конечный остаток (number(15,2)) */
  ClosingBalance: Decimal | null;
  /** Строки выписки */
  Lines: BankStatementLinesRow[];
}

/** Расходный кассовый ордер */
export interface CashDisbursementDocument {
  id: string;
  version: number;
  deletionMark: boolean;
  number: string;
  date: DateText;
  posted: boolean;
  /** Вид операции (enum.CashDisbursementKinds) */
  OperationKind: CashDisbursementKinds;
  /** Организация (catalog.Organizations) */
  Organization: string | null;
  /** Работник (catalog.Employees) */
  Employee: string | null;
  /** Контрагент (catalog.Counterparties) */
  Counterparty: string | null;
  /** Счет расчетов (Дт) (catalog.ChartOfAccounts) */
  CorrAccount: string | null;
  /** Статья расходов (catalog.CostItems) */
  CostItem: string | null;
  /** Сумма (number(15,2)) */
  Amount: Decimal;
  /** Выдать (string(150)) */
  IssuedTo: string | null;
  /** Основание (string(300)) */
  Basis: string | null;
  /** Приложение (string(300)) */
  Attachment: string | null;
  /** По документу (удостоверение личности) (string(300)) */
  IdentityDocument: string | null;
}

/** Приходный кассовый ордер */
export interface CashReceiptDocument {
  id: string;
  version: number;
  deletionMark: boolean;
  number: string;
  date: DateText;
  posted: boolean;
  /** Вид операции (enum.CashReceiptKinds) */
  OperationKind: CashReceiptKinds;
  /** Организация (catalog.Organizations) */
  Organization: string | null;
  /** Лицевой счет (catalog.PersonalAccounts) */
  Account: string | null;
  /** Период оплаты (date) */
  PaidMonth: DateText | null;
  /** Контрагент (catalog.Counterparties) */
  Counterparty: string | null;
  /** Подотчетное лицо (catalog.Employees) */
  Employee: string | null;
  /** Счет расчетов (Кт) (catalog.ChartOfAccounts) */
  CorrAccount: string | null;
  /** Статья доходов (catalog.CostItems) */
  CostItem: string | null;
  /** Сумма (number(15,2)) */
  Amount: Decimal;
  /** Принято от (string(150)) */
  ReceivedFrom: string | null;
  /** Основание (string(300)) */
  Basis: string | null;
  /** Приложение (string(300)) */
  Attachment: string | null;
}

/** Список лицевых счетов */
export interface GroupAccrualAccountsRow {
  /** Номер строки */
  line: number;
  /** Лицевой счет (catalog.PersonalAccounts) */
  Account: string;
}

/** Групповое начисление за услуги */
export interface GroupAccrualDocument {
  id: string;
  version: number;
  deletionMark: boolean;
  number: string;
  date: DateText;
  posted: boolean;
  /** Текущий период (date) */
  Month: DateText;
  /** Начислять за услуги (boolean) */
  AccrueServices: boolean | null;
  /** Начислять пени (boolean) */
  AccruePenalties: boolean | null;
  /** Способ распределения аванса (enum.DistributionMethods) */
  DistributionMethod: DistributionMethods | null;
  /** Здание (catalog.Buildings) */
  Building: string | null;
  /** Список лицевых счетов */
  Accounts: GroupAccrualAccountsRow[];
}

/** Индивидуальные приборы учета */
export interface InitialMeterReadingsIndividualRow {
  /** Номер строки */
  line: number;
  /** Лицевой счет (catalog.PersonalAccounts) */
  Account: string;
  /** Прибор учета (catalog.Meters) */
  Meter: string;
  /** Показание (number(15,4)) */
  Reading: Decimal | null;
  /** Дата показания (date) */
  ReadingDate: DateText;
}

/** Коллективные приборы учета */
export interface InitialMeterReadingsCollectiveRow {
  /** Номер строки */
  line: number;
  /** Здание (catalog.Buildings) */
  Building: string;
  /** Прибор учета (catalog.Meters) */
  Meter: string;
  /** Показание (number(15,4)) */
  Reading: Decimal | null;
  /** Дата показания (date) */
  ReadingDate: DateText;
}

/** Ввод начальных показаний приборов учета */
export interface InitialMeterReadingsDocument {
  id: string;
  version: number;
  deletionMark: boolean;
  number: string;
  date: DateText;
  posted: boolean;
  /** Индивидуальные приборы учета */
  Individual: InitialMeterReadingsIndividualRow[];
  /** Коллективные приборы учета */
  Collective: InitialMeterReadingsCollectiveRow[];
}

/** Проводки */
export interface ManualOperationEntriesRow {
  /** Номер строки */
  line: number;
  /** Счет Дт (catalog.ChartOfAccounts) */
  AccountDr: string | null;
  /** Контрагент Дт (catalog.Counterparties) */
  CounterpartyDr: string | null;
  /** Лицевой счет Дт (catalog.PersonalAccounts) */
  PersonalAccountDr: string | null;
  /** Здание Дт (catalog.Buildings) */
  BuildingDr: string | null;
  /** Услуга Дт (catalog.Services) */
  ServiceDr: string | null;
  /** Статья затрат Дт (catalog.CostItems) */
  CostItemDr: string | null;
  /** Работник Дт (catalog.Employees) */
  EmployeeDr: string | null;
  /** Счет Кт (catalog.ChartOfAccounts) */
  AccountCr: string | null;
  /** Контрагент Кт (catalog.Counterparties) */
  CounterpartyCr: string | null;
  /** Лицевой счет Кт (catalog.PersonalAccounts) */
  PersonalAccountCr: string | null;
  /** Здание Кт (catalog.Buildings) */
  BuildingCr: string | null;
  /** Услуга Кт (catalog.Services) */
  ServiceCr: string | null;
  /** Статья затрат Кт (catalog.CostItems) */
  CostItemCr: string | null;
  /** Работник Кт (catalog.Employees) */
  EmployeeCr: string | null;
  /** Сумма (number(15,2)) */
  Amount: Decimal;
  /** Содержание (string(150)) */
  Content: string | null;
}

/** Операция (бухгалтерская) */
export interface ManualOperationDocument {
  id: string;
  version: number;
  deletionMark: boolean;
  number: string;
  date: DateText;
  posted: boolean;
  /** Содержание (string(150)) */
  Content: string | null;
  /** Проводки */
  Entries: ManualOperationEntriesRow[];
}

/** Показания */
export interface MeterReadingsReadingsRow {
  /** Номер строки */
  line: number;
  /** Лицевой счет (catalog.PersonalAccounts) */
  Account: string | null;
  /** Прибор учета (catalog.Meters) */
  Meter: string;
  /** Предыдущее показание (number(15,4)) */
  PreviousReading: Decimal | null;
  /** Текущее показание (number(15,4)) */
  Reading: Decimal | null;
  /** Расход (number(15,4)) */
  Consumption: Decimal | null;
  /** Дата показания (date) */
  ReadingDate: DateText | null;
}

/** Показания приборов учета */
export interface MeterReadingsDocument {
  id: string;
  version: number;
  deletionMark: boolean;
  number: string;
  date: DateText;
  posted: boolean;
  /** Период (date) */
  Month: DateText;
  /** Здание (catalog.Buildings) */
  Building: string | null;
  /** Показания */
  Readings: MeterReadingsReadingsRow[];
}

/** Закрытие месяца */
export interface MonthCloseDocument {
  id: string;
  version: number;
  deletionMark: boolean;
  number: string;
  date: DateText;
  posted: boolean;
  /** Месяц (date) */
  Month: DateText;
  /** Директ-костинг (25, 26 сразу на 90.02) (boolean) */
  DirectCosting: boolean | null;
}

/** Задолженность */
export interface OpeningBalancesDebtsRow {
  /** Номер строки */
  line: number;
  /** Лицевой счет (catalog.PersonalAccounts) */
  Account: string;
  /** Услуга (catalog.Services) */
  Service: string;
  /** Период задолженности (date) */
  DebtPeriod: DateText;
  /** Сумма (number(15,2)) */
  Amount: Decimal;
}

/** Пени */
export interface OpeningBalancesPenaltiesRow {
  /** Номер строки */
  line: number;
  /** Лицевой счет (catalog.PersonalAccounts) */
  Account: string;
  /** Сумма (number(15,2)) */
  Amount: Decimal;
}

/** Ввод начальных остатков */
export interface OpeningBalancesDocument {
  id: string;
  version: number;
  deletionMark: boolean;
  number: string;
  date: DateText;
  posted: boolean;
  /** Задолженность */
  Debts: OpeningBalancesDebtsRow[];
  /** Пени */
  Penalties: OpeningBalancesPenaltiesRow[];
}

/** Услуги */
export interface PaymentServicesRow {
  /** Номер строки */
  line: number;
  /** Услуга (catalog.Services) */
  Service: string;
  /** Сумма (number(15,2)) */
  Amount: Decimal | null;
}

/** Оплата */
export interface PaymentDocument {
  id: string;
  version: number;
  deletionMark: boolean;
  number: string;
  date: DateText;
  posted: boolean;
  /** Лицевой счет (catalog.PersonalAccounts) */
  Account: string;
  /** Сумма (number(15,2)) */
  Amount: Decimal;
  /** Период оплаты (date) */
  PaidMonth: DateText | null;
  /** Назначение платежа (string(1000)) */
  Purpose: string | null;
  /** Способ распределения (enum.DistributionMethods) */
  DistributionMethod: DistributionMethods | null;
  /** Сначала пени (boolean) */
  PenaltiesFirst: boolean | null;
  /** Источник (string(100)) */
  Source: string | null;
  /** Получатель платежа (catalog.Organizations) */
  Payee: string | null;
  /** Вид поступления (enum.PaymentSources) */
  SourceKind: PaymentSources | null;
  /** Платежный агент (catalog.Counterparties) */
  Agent: string | null;
  /** Услуги */
  Services: PaymentServicesRow[];
}

/** Настройка пени */
export interface PenaltySettingsDocument {
  id: string;
  version: number;
  deletionMark: boolean;
  number: string;
  date: DateText;
  posted: boolean;
  /** Период (date) */
  Month: DateText;
  /** Изменить срок оплаты (boolean) */
  ChangeDueDay: boolean | null;
  /** Срок оплаты (number(2)) */
  DueDay: Decimal | null;
  /** Изменить ставку (boolean) */
  ChangeRate: boolean | null;
  /** Способ расчета (enum.PenaltyModes) */
  Mode: PenaltyModes | null;
  /** Ставка (number(10,4)) */
  Rate: Decimal | null;
  /** Дата (date) */
  RateDate: DateText | null;
}

/** Перерасчет */
export interface RecalculationDocument {
  id: string;
  version: number;
  deletionMark: boolean;
  number: string;
  date: DateText;
  posted: boolean;
  /** Текущий период (date) */
  Month: DateText;
  /** Период перерасчета (date) */
  CorrectedPeriod: DateText | null;
  /** Лицевой счет (catalog.PersonalAccounts) */
  Account: string;
  /** Услуга (catalog.Services) */
  Service: string;
  /** Основание перерасчета (enum.RecalculationReasons) */
  ReasonKind: RecalculationReasons | null;
  /** Сумма (number(15,2)) */
  Amount: Decimal | null;
  /** Дней отсутствия (number(3)) */
  DaysAbsent: Decimal | null;
  /** Отсутствовало человек (number(3)) */
  PersonsAbsent: Decimal | null;
  /** Причина (комментарий) (string(300)) */
  Reason: string | null;
}

/** Работы и материалы */
export interface ServiceRequestWorksRow {
  /** Номер строки */
  line: number;
  /** Работа / материал (string(200)) */
  Work: string;
  /** Ед. (string(20)) */
  Unit: string | null;
  /** Количество (number(15,3)) */
  Quantity: Decimal;
  /** Цена (number(15,2)) */
  Price: Decimal | null;
  /** Сумма (number(15,2)) */
  Sum: Decimal | null;
}

/** Заявка */
export interface ServiceRequestDocument {
  id: string;
  version: number;
  deletionMark: boolean;
  number: string;
  date: DateText;
  posted: boolean;
  /** Статус (enum.RequestStatuses) */
  Status: RequestStatuses | null;
  /** Поступила (datetime) */
  ReceivedAt: DateText;
  /** Источник (enum.RequestSources) */
  Source: RequestSources | null;
  /** Лицевой счет (catalog.PersonalAccounts) */
  Account: string | null;
  /** Здание (catalog.Buildings) */
  Building: string | null;
  /** Квартира (string(10)) */
  Apartment: string | null;
  /** Контактное лицо (string(150)) */
  ContactName: string | null;
  /** Телефон (string(30)) */
  ContactPhone: string | null;
  /** Вид заявки (catalog.RequestTypes) */
  RequestType: string;
  /** Описание (string(2000)) */
  Description: string;
  /** Приоритет (enum.RequestPriorities) */
  Priority: RequestPriorities | null;
  /** Исполнитель (catalog.Employees) */
  Executor: string | null;
  /** Срок реагирования (datetime) */
  ResponseDeadline: DateText | null;
  /** Срок выполнения (datetime) */
  Deadline: DateText | null;
  /** Плановый визит (datetime) */
  PlannedVisit: DateText | null;
  /** Взята в работу (datetime) */
  StartedAt: DateText | null;
  /** Выполнена (datetime) */
  CompletedAt: DateText | null;
  /** Закрыта (datetime) */
  ClosedAt: DateText | null;
  /** Результат (string(2000)) */
  Result: string | null;
  /** Причина отклонения (string(1000)) */
  RejectReason: string | null;
  /** Сумма к оплате (number(15,2)) */
  Amount: Decimal | null;
  /** Работы и материалы */
  Works: ServiceRequestWorksRow[];
}

/** Услуги и материалы */
export interface SupplierInvoiceItemsRow {
  /** Номер строки */
  line: number;
  /** Наименование (работа, услуга, материал) (string(150)) */
  Description: string | null;
  /** Счет затрат (catalog.ChartOfAccounts) */
  Account: string | null;
  /** Номенклатурная группа (услуга) (catalog.Services) */
  Service: string | null;
  /** Статья затрат (catalog.CostItems) */
  CostItem: string | null;
  /** Сумма (number(15,2)) */
  Amount: Decimal;
  /** Ставка НДС (enum.VatRates) */
  VatRate: VatRates | null;
  /** НДС (number(15,2)) */
  Vat: Decimal | null;
  /** Всего (number(15,2)) */
  Total: Decimal | null;
}

/** Поступление (акт, накладная) */
export interface SupplierInvoiceDocument {
  id: string;
  version: number;
  deletionMark: boolean;
  number: string;
  date: DateText;
  posted: boolean;
  /** Организация (catalog.Organizations) */
  Organization: string | null;
  /** Контрагент (catalog.Counterparties) */
  Counterparty: string;
  /** Номер входящего документа (string(30)) */
  IncomingNumber: string | null;
  /** Дата входящего документа (date) */
  IncomingDate: DateText | null;
  /** Счет расчетов с контрагентом (catalog.ChartOfAccounts) */
  SupplierAccount: string | null;
  /** Сумма включает НДС (boolean) */
  AmountIncludesVat: boolean | null;
  /** Номер счета-фактуры (string(30)) */
  VatInvoiceNumber: string | null;
  /** Дата счета-фактуры (date) */
  VatInvoiceDate: DateText | null;
  /** Принять НДС к вычету (boolean) */
  AcceptVat: boolean | null;
  /** Содержание (string(150)) */
  Content: string | null;
  /** Услуги и материалы */
  Items: SupplierInvoiceItemsRow[];
}

/** Тарифы */
export interface TariffChangeTariffsRow {
  /** Номер строки */
  line: number;
  /** Услуга (catalog.Services) */
  Service: string;
  /** Вид тарифа (catalog.TariffKinds) */
  TariffKind: string;
  /** Тариф (number(15,4)) */
  Rate: Decimal | null;
  /** Тариф сверх (number(15,4)) */
  RateOverNorm: Decimal | null;
}

/** Изменение тарифов на услуги */
export interface TariffChangeDocument {
  id: string;
  version: number;
  deletionMark: boolean;
  number: string;
  date: DateText;
  posted: boolean;
  /** Тарифы */
  Tariffs: TariffChangeTariffsRow[];
}

/** Everything above, as server/api.ts#definer takes it. */
export interface Configuration {
  enums: {
    AccountKinds: AccountKinds;
    BankLineStatuses: BankLineStatuses;
    BankPaymentKinds: BankPaymentKinds;
    BenefitLimits: BenefitLimits;
    CalculationMethods: CalculationMethods;
    CalendarDayKinds: CalendarDayKinds;
    CashDisbursementKinds: CashDisbursementKinds;
    CashReceiptKinds: CashReceiptKinds;
    ChartOfAccountsAnalytics: ChartOfAccountsAnalytics;
    DistributionMethods: DistributionMethods;
    MeterKinds: MeterKinds;
    OwnershipTypes: OwnershipTypes;
    PaymentSources: PaymentSources;
    PenaltyModes: PenaltyModes;
    ReadingTypes: ReadingTypes;
    RecalculationReasons: RecalculationReasons;
    RequestCategories: RequestCategories;
    RequestPriorities: RequestPriorities;
    RequestSources: RequestSources;
    RequestStatuses: RequestStatuses;
    ServiceStatuses: ServiceStatuses;
    TaxRegimes: TaxRegimes;
    VatRates: VatRates;
    WorkingTimeModes: WorkingTimeModes;
  };
  catalogs: {
    BenefitCategories: BenefitCategoriesCatalog;
    Buildings: BuildingsCatalog;
    ChartOfAccounts: ChartOfAccountsCatalog;
    CostItems: CostItemsCatalog;
    Counterparties: CounterpartiesCatalog;
    Employees: EmployeesCatalog;
    MeterTypes: MeterTypesCatalog;
    Meters: MetersCatalog;
    Organizations: OrganizationsCatalog;
    PersonalAccounts: PersonalAccountsCatalog;
    RequestTypes: RequestTypesCatalog;
    Services: ServicesCatalog;
    TariffKinds: TariffKindsCatalog;
  };
  documents: {
    AccountServiceChange: AccountServiceChangeDocument;
    BankPayment: BankPaymentDocument;
    BankStatement: BankStatementDocument;
    CashDisbursement: CashDisbursementDocument;
    CashReceipt: CashReceiptDocument;
    GroupAccrual: GroupAccrualDocument;
    InitialMeterReadings: InitialMeterReadingsDocument;
    ManualOperation: ManualOperationDocument;
    MeterReadings: MeterReadingsDocument;
    MonthClose: MonthCloseDocument;
    OpeningBalances: OpeningBalancesDocument;
    Payment: PaymentDocument;
    PenaltySettings: PenaltySettingsDocument;
    Recalculation: RecalculationDocument;
    ServiceRequest: ServiceRequestDocument;
    SupplierInvoice: SupplierInvoiceDocument;
    TariffChange: TariffChangeDocument;
  };
  accumulationRegisters: {
    /** Начисления */
    Accruals: {
      kind: "turnover";
      dimensions: {
        /** Лицевой счет (catalog.PersonalAccounts) */
        Account: string | null;
        /** Услуга (catalog.Services) */
        Service: string | null;
      };
      resources: {
        /** Объем (number(15,4)) */
        Volume: Decimal;
        /** Начислено (number(15,2)) */
        Amount: Decimal;
        /** Льготы (number(15,2)) */
        Benefits: Decimal;
        /** Перерасчет (number(15,2)) */
        Recalculation: Decimal;
        /** Повышающий коэффициент (number(5,2)) */
        RaisingFactor: Decimal;
        /** Превышение за счет повышающего коэффициента (number(15,2)) */
        RaisingFactorExcess: Decimal;
      };
      attributes: {
        /** Способ расчета (enum.CalculationMethods) */
        Method: CalculationMethods | null;
        /** База (number(15,4)) */
        Base: Decimal | null;
        /** Тариф (number(15,4)) */
        Rate: Decimal | null;
        /** Предыдущее показание (number(15,4)) */
        PreviousReading: Decimal | null;
        /** Текущее показание (number(15,4)) */
        CurrentReading: Decimal | null;
        /** Расшифровка (string(500)) */
        Explanation: string | null;
      };
    };
    /** Пени */
    Penalties: {
      kind: "balance";
      dimensions: {
        /** Лицевой счет (catalog.PersonalAccounts) */
        Account: string | null;
      };
      resources: {
        /** Сумма (number(15,2)) */
        Amount: Decimal;
      };
      attributes: {
        /** Расшифровка (string(500)) */
        Explanation: string | null;
      };
    };
    /** Взаиморасчеты */
    Settlements: {
      kind: "balance";
      dimensions: {
        /** Лицевой счет (catalog.PersonalAccounts) */
        Account: string | null;
        /** Услуга (catalog.Services) */
        Service: string | null;
        /** Период задолженности (date) */
        DebtPeriod: DateText;
      };
      resources: {
        /** Сумма (number(15,2)) */
        Amount: Decimal;
      };
      attributes: {};
    };
  };
  informationRegisters: {
    /** Льготы лицевых счетов */
    AccountBenefits: {
      dimensions: {
        /** Лицевой счет (catalog.PersonalAccounts) */
        Account: string | null;
        /** Категория льготы (catalog.BenefitCategories) */
        Category: string | null;
      };
      resources: {
        /** Льготников (number(3)) */
        Persons: Decimal;
        /** С (date) */
        From: DateText;
        /** По (date) */
        To: DateText;
      };
      attributes: {};
    };
    /** Услуги лицевых счетов */
    AccountServices: {
      dimensions: {
        /** Лицевой счет (catalog.PersonalAccounts) */
        Account: string | null;
        /** Услуга (catalog.Services) */
        Service: string | null;
      };
      resources: {
        /** Вид тарифа (catalog.TariffKinds) */
        TariffKind: string;
        /** Статус (enum.ServiceStatuses) */
        Status: ServiceStatuses;
      };
      attributes: {};
    };
    /** Учетная политика (счета учета) */
    AccountingPolicy: {
      dimensions: {
        /** Организация (catalog.Organizations) */
        Organization: string | null;
        /** Услуга (catalog.Services) */
        Service: string | null;
      };
      resources: {
        /** Счет расчетов с потребителями (string(8)) */
        ReceivableAccount: string;
        /** Счет авансов полученных (string(8)) */
        AdvanceAccount: string;
        /** Счет выручки (string(8)) */
        RevenueAccount: string;
        /** Счет НДС с продаж (string(8)) */
        VatAccount: string;
        /** Счет расчетов по НДС (string(8)) */
        VatPayableAccount: string;
        /** Счет учета пени (string(8)) */
        PenaltyAccount: string;
        /** Счет доходов от пени (string(8)) */
        PenaltyIncomeAccount: string;
        /** Статья прочих доходов (пени) (catalog.CostItems) */
        PenaltyIncomeItem: string;
        /** Счет расчетов по льготам (string(8)) */
        BenefitAccount: string;
        /** Контрагент по льготам (соцзащита) (catalog.Counterparties) */
        BenefitCounterparty: string;
        /** Счет банка (string(8)) */
        BankAccount: string;
        /** Счет кассы (string(8)) */
        CashAccount: string;
        /** Счет платежных агентов (string(8)) */
        AgentAccount: string;
        /** Вспомогательный счет остатков (string(8)) */
        OpeningAccount: string;
      };
      attributes: {};
    };
    /** Изменения после начисления */
    AccrualChanges: {
      dimensions: {
        /** Начисление (документ) (string(36)) */
        Accrual: string;
        /** Источник (string(100)) */
        Source: string;
        /** Здание (catalog.Buildings) */
        Building: string | null;
        /** Лицевой счет (catalog.PersonalAccounts) */
        Account: string | null;
      };
      resources: {
        /** Отметка времени (string(30)) */
        Stamp: string;
        /** Когда (datetime) */
        ChangedAt: DateText;
        /** Что изменилось (string(500)) */
        Description: string;
        /** Начислено (number(15,2)) */
        Amount: Decimal;
        /** Строк начисления (number(10)) */
        Lines: Decimal;
        /** Лицевых счетов (number(10)) */
        Accounts: Decimal;
        /** Учтено изменений (number(10)) */
        Changes: Decimal;
      };
      attributes: {};
    };
    /** Изменения после начисления (записи регистров) */
    AccrualRecordChanges: {
      dimensions: {
        /** Начисление (документ) (string(36)) */
        Accrual: string;
        /** Источник (string(100)) */
        Source: string;
        /** Лицевой счет (catalog.PersonalAccounts) */
        Account: string | null;
      };
      resources: {
        /** Отметка времени (string(30)) */
        Stamp: string;
        /** Когда (datetime) */
        ChangedAt: DateText;
        /** Что изменилось (string(500)) */
        Description: string;
      };
      attributes: {};
    };
    /** Загруженные строки выписок */
    BankLineKeys: {
      dimensions: {
        /** Ключ строки (string(150)) */
        LineKey: string;
      };
      resources: {
        /** Оплата (document.Payment) */
        Payment: string;
      };
      attributes: {};
    };
    /** Производственный календарь */
    Holidays: {
      dimensions: {
        /** Дата (date) */
        Day: DateText;
      };
      resources: {
        /** Вид дня (enum.CalendarDayKinds) */
        Kind: CalendarDayKinds;
        /** Основание (string(200)) */
        Note: string;
      };
      attributes: {};
    };
    /** Ключевая ставка Банка России */
    KeyRates: {
      dimensions: {};
      resources: {
        /** Ставка, % (number(7,4)) */
        Rate: Decimal;
      };
      attributes: {};
    };
    /** История показаний приборов учета */
    MeterReadings: {
      dimensions: {
        /** Прибор учета (catalog.Meters) */
        Meter: string | null;
      };
      resources: {
        /** Показание (number(15,4)) */
        Reading: Decimal;
      };
      attributes: {};
    };
    /** Мораторий на начисление пени */
    Moratoria: {
      dimensions: {
        /** С (date) */
        From: DateText;
      };
      resources: {
        /** По (date) */
        To: DateText;
        /** Только на долги за месяцы до (date) */
        DebtsBefore: DateText;
        /** Основание (string(200)) */
        Act: string;
      };
      attributes: {};
    };
    /** Предельная ставка для пени */
    PenaltyRateCaps: {
      dimensions: {
        /** С (date) */
        From: DateText;
      };
      resources: {
        /** По (date) */
        To: DateText;
        /** Ставка, % (number(7,4)) */
        Rate: Decimal;
        /** Основание (string(200)) */
        Act: string;
      };
      attributes: {};
    };
    /** История настроек пени */
    PenaltySettings: {
      dimensions: {};
      resources: {
        /** Срок оплаты (number(2)) */
        DueDay: Decimal;
        /** Способ расчета (enum.PenaltyModes) */
        Mode: PenaltyModes;
        /** Ставка (number(10,4)) */
        Rate: Decimal;
        /** Дата ставки (date) */
        RateDate: DateText;
      };
      attributes: {};
    };
    /** Проживающие и собственники */
    Residents: {
      dimensions: {
        /** Лицевой счет (catalog.PersonalAccounts) */
        Account: string | null;
      };
      resources: {
        /** Зарегистрировано (number(3)) */
        Registered: Decimal;
        /** Собственников (number(3)) */
        Owners: Decimal;
      };
      attributes: {};
    };
    /** Тарифы на услуги */
    Tariffs: {
      dimensions: {
        /** Услуга (catalog.Services) */
        Service: string | null;
        /** Вид тарифа (catalog.TariffKinds) */
        TariffKind: string | null;
      };
      resources: {
        /** Тариф (number(15,4)) */
        Rate: Decimal;
        /** Тариф сверх (number(15,4)) */
        RateOverNorm: Decimal;
      };
      attributes: {};
    };
  };
  accountingRegisters: {
    /** Бухгалтерский учет */
    Accounting: {
      analytics: {
        /** Контрагенты */
        Counterparties: string;
        /** Лицевые счета */
        PersonalAccounts: string;
        /** Здания */
        Buildings: string;
        /** Услуги (номенклатурные группы) */
        Services: string;
        /** Статьи затрат */
        CostItems: string;
        /** Работники */
        Employees: string;
      };
      accounts: "000" | "01" | "02" | "08" | "10" | "10.01" | "10.09" | "19" | "19.03" | "19.04" | "20" | "20.01" | "25" | "26" | "50" | "50.01" | "51" | "55" | "55.04" | "57" | "57.01" | "57.03" | "60" | "60.01" | "60.02" | "62" | "62.01" | "62.02" | "66" | "67" | "68" | "68.01" | "68.02" | "68.04" | "68.12" | "69" | "69.01" | "69.09" | "70" | "71" | "73" | "76" | "76.02" | "76.09" | "80" | "84" | "86" | "90" | "90.01" | "90.02" | "90.03" | "90.09" | "91" | "91.01" | "91.02" | "91.09" | "96" | "97" | "99" | "007";
      resources: {
        /** Сумма (number(15,2)) */
        Amount: Decimal;
      };
      attributes: {};
    };
  };
}

/** The registers each document posts to (its YAML's `registers`). */
export interface DocumentRegisters {
  AccountServiceChange: "AccountServices" | "AccrualChanges";
  BankPayment: "Accounting";
  BankStatement: "Accounting" | "BankLineKeys";
  CashDisbursement: "Accounting";
  CashReceipt: "Settlements" | "Penalties" | "Accounting";
  GroupAccrual: "Accruals" | "Settlements" | "Penalties" | "AccrualChanges" | "Accounting";
  InitialMeterReadings: "MeterReadings" | "AccrualChanges";
  ManualOperation: "Accounting";
  MeterReadings: "MeterReadings" | "AccrualChanges";
  MonthClose: "Accounting";
  OpeningBalances: "Settlements" | "Penalties" | "Accounting";
  Payment: "Settlements" | "Penalties" | "Accounting";
  PenaltySettings: "PenaltySettings";
  Recalculation: "Accruals" | "Settlements" | "Accounting";
  ServiceRequest: "Accruals" | "Settlements" | "Accounting";
  SupplierInvoice: "Accounting";
  TariffChange: "Tariffs" | "AccrualChanges";
}

/** The reading API of this configuration (registers, information registers, objects), for shared modules. */
export type Query = TypedQueryApi<Configuration>;

/** The posting context of a document of this configuration, for shared modules that add records. */
export type Posting<N extends keyof DocumentRegisters> = TypedPostingContext<Configuration, Configuration["documents"][N], DocumentRegisters[N]>;

/** A document's behaviour module, typed by its metadata (server/api.ts DocumentModule). */
export const defineDocument: DocumentDefiner<Configuration, DocumentRegisters> = (name, module) => Object.assign(module, { object: `document.${name}` });

/** A catalog's behaviour module, typed by its metadata (server/api.ts CatalogModule). */
export const defineCatalog: CatalogDefiner<Configuration> = (name, module) => Object.assign(module, { object: `catalog.${name}` });
