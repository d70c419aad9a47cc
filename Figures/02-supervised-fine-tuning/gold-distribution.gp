# Gold score of held-out answers, before and after SFT
# Render from this directory: gnuplot gold-distribution.gp  (writes gold-distribution.png)
if (!exists("outfile")) outfile = 'gold-distribution.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'Gold score of held-out answers, before and after SFT'
set xlabel 'gold score (0-10)'
set ylabel 'fraction of samples'
set key top left box opaque
set grid
set style fill transparent solid 0.35 border
set boxwidth 0.5 absolute
set yrange [0:0.413577023]
plot 'gold-distribution.dat' index 0 using 1:2 with boxes lc 1 title 'pretrained', \
     'gold-distribution.dat' index 1 using 1:2 with boxes lc 2 title 'SFT'
