from projectoffice.opendata.management.commands._fns import FnsImportCommand


class Command(FnsImportCommand):
    help = "Импортирует доходы и расходы организаций из открытых данных ФНС (ZIP, XML или папки)"
    dataset = "income"
